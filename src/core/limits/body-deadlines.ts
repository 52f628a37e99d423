/**
 * @module
 * The read deadline of request bodies (`bodyTimeout`), watched by one unref'd interval per
 * trigger instead of a timer per request (Node's own server checks `requestTimeout` the same
 * way): a read past its deadline is expired at the next sweep, so within a quarter of the
 * timeout (at most 1 s) after it. The interval runs only while reads are in flight and never
 * keeps the process alive.
 *
 * ```ts
 * const deadlines = new BodyDeadlines(30_000)
 * const unwatch = deadlines.watch(() => reader.cancel())
 * // ... read ..., then:
 * unwatch()
 * ```
 */
import type { ReadDeadline } from '../../http/fast-request.js'
import { bodyTimeout } from '../http-errors.js'

interface Watch {
  readonly at: number
  readonly expire: () => void
}

export class BodyDeadlines implements ReadDeadline {
  readonly #watches = new Set<Watch>()
  readonly #tick: number
  #timer: ReturnType<typeof setInterval> | undefined

  constructor(readonly ms: number) {
    this.#tick = Math.max(5, Math.min(1_000, Math.ceil(ms / 4)))
  }

  /** Reads being watched. */
  get size(): number {
    return this.#watches.size
  }

  /** Calls `expire` once, when the read outlives the deadline; returns the unwatch. */
  watch(expire: () => void): () => void {
    const watch: Watch = { at: Date.now() + this.ms, expire }
    this.#watches.add(watch)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#tick)
      ;(this.#timer as { unref?: () => void }).unref?.()
    }
    return () => void this.#watches.delete(watch)
  }

  error(): Error {
    return bodyTimeout(this.ms)
  }

  #sweep(): void {
    if (this.#watches.size === 0) {
      clearInterval(this.#timer)
      this.#timer = undefined
      return
    }
    const now = Date.now()
    for (const watch of this.#watches) {
      if (watch.at > now) continue
      this.#watches.delete(watch)
      watch.expire()
    }
  }
}
