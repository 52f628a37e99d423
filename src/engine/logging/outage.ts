/**
 * @module
 * One outage of the store or the queue, as the log tells it: a line when it starts (the first
 * failure) and one when it ends (the first success at least `QUIET_MS` after the last failure),
 * whatever happens in between. The quiet time keeps one blip (every connection reset at once,
 * its failures arriving over a few hundred ms, between successes on new connections) one outage.
 */

/** Where a failure came from: the store (the database) or the queue (Redis, say). */
export type OutageSource = 'store' | 'queue'

/** How long after its last failure a success ends an outage. */
export const QUIET_MS = 1000

export class Outage {
  #since = 0
  #last = 0
  #failures = 0

  get active(): boolean {
    return this.#failures > 0
  }

  /** Counts a failure; true for the first one of an outage. */
  fail(now: number): boolean {
    this.#last = now
    if (this.#failures++ === 0) {
      this.#since = now
      return true
    }
    return false
  }

  /** Ends the outage, if one was on and quiet long enough: how long it lasted and how many failures it counted. */
  end(now: number): { durationMs: number; failures: number } | undefined {
    if (this.#failures === 0 || now - this.#last < QUIET_MS) return undefined
    const ended = { durationMs: now - this.#since, failures: this.#failures }
    this.#failures = 0
    return ended
  }
}
