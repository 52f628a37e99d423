/**
 * @module
 * A token bucket: `limit` tokens, refilled evenly over `windowMs`, so a sender may burst up to
 * `limit` and then goes at `limit / windowMs`. In memory, so per process.
 *
 * ```ts
 * const bucket = new TokenBucket(10, 1_000)
 * bucket.take() // 0: taken; otherwise the ms until the next token
 * ```
 */

export class TokenBucket {
  #tokens: number
  #updated: number

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    now = Date.now(),
  ) {
    this.#tokens = limit
    this.#updated = now
  }

  /** Takes a token: 0 when one was there, else how many ms until one will be. */
  take(now = Date.now()): number {
    const rate = this.limit / this.windowMs
    // A clock that steps back refills nothing.
    this.#tokens = Math.min(this.limit, this.#tokens + Math.max(0, now - this.#updated) * rate)
    this.#updated = now
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    // Less a rounding error, so 0.998 tokens at 0.002 per ms is 1 ms away, not 2.
    return Math.max(1, Math.ceil((1 - this.#tokens) / rate - 1e-9))
  }
}
