/**
 * @module
 * One outage of the store or the queue, as the log tells it: a line when it starts (the first
 * failure) and one when it ends (the first success after), whatever happens in between.
 */

/** Where a failure came from: the store (the database) or the queue (Redis, say). */
export type OutageSource = 'store' | 'queue'

export class Outage {
  #since = 0
  #failures = 0

  get active(): boolean {
    return this.#failures > 0
  }

  /** Counts a failure; true for the first one of an outage. */
  fail(now: number): boolean {
    if (this.#failures++ === 0) {
      this.#since = now
      return true
    }
    return false
  }

  /** Ends the outage, if one was on: how long it lasted and how many failures it counted. */
  end(now: number): { durationMs: number; failures: number } | undefined {
    if (this.#failures === 0) return undefined
    const ended = { durationMs: now - this.#since, failures: this.#failures }
    this.#failures = 0
    return ended
  }
}
