/**
 * @module
 * Calls made in one turn of the event loop, carried out together: each caller's items join
 * the turn's list, one `flush` takes them all (one round trip to Redis, say), and every caller
 * settles as that flush does. It waits for `setImmediate`, not a microtask, so that calls made
 * from the separate I/O callbacks of one turn (the deliveries that arrived together) still share it.
 *
 * ```ts
 * const adds = new TurnBatch<Job>((jobs) => bull.addBulk(jobs))
 * await adds.add([job])
 * ```
 */
export class TurnBatch<T> {
  readonly #flush: (items: T[]) => Promise<unknown>
  #items: T[] = []
  #callers: Array<{ resolve: () => void; reject: (error: unknown) => void }> = []

  constructor(flush: (items: T[]) => Promise<unknown>) {
    this.#flush = flush
  }

  /** Resolves once the flush that carried `items` resolved; rejects with its error. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#items.push(...items)
      this.#callers.push({ resolve, reject })
      if (this.#callers.length === 1) setImmediate(() => this.#run())
    })
  }

  #run(): void {
    const items = this.#items
    const callers = this.#callers
    this.#items = []
    this.#callers = []
    // A flush that throws at once fails its callers as one that rejects.
    new Promise((resolve) => resolve(this.#flush(items))).then(
      () => callers.forEach((caller) => caller.resolve()),
      (error: unknown) => callers.forEach((caller) => caller.reject(error)),
    )
  }
}
