/**
 * @module
 * Group commit for Postgres: calls of one kind made in the same turn of the event loop run as
 * one statement, so a burst of deliveries, or eight workers finishing together, costs one round
 * trip and one commit (one WAL flush) instead of one each. Every caller's promise settles only
 * after that statement committed, so nothing is answered before it is stored.
 *
 * A lone call runs its own single-row statement, as before batching. When the server refuses a
 * batch statement (it rolled back: a foreign key, a duplicate), each call of it runs alone, so
 * one bad call fails only its own caller, exactly as it would have unbatched. When the
 * connection failed instead, the statement may have committed: every caller gets the error, as
 * a lone call would have.
 *
 * ```ts
 * const claims = new StatementBatch(claimOne, claimMany)
 * const record = await claims.add({ id, owner, leaseMs, now })
 * ```
 *
 * The flush waits for `setImmediate`, not a microtask: answers that arrive together are handled
 * in separate I/O callbacks of one loop turn, and a microtask would flush after each of them.
 */

import { sqlState } from './postgres-store-error.js'

/** The most calls one statement carries (bind parameters stay far below Postgres's 65,535). */
const MAX_BATCH = 200

export class StatementBatch<I, O> {
  readonly #one: (input: I) => Promise<O>
  readonly #many: (inputs: I[]) => Promise<O[]>
  #pending: Array<{ input: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = []
  #scheduled = false

  /**
   * `one` runs a single call; `many` runs two or more in one statement and resolves with their
   * results in order (or rejects, and then each call runs alone through `one`).
   */
  constructor(one: (input: I) => Promise<O>, many: (inputs: I[]) => Promise<O[]>) {
    this.#one = one
    this.#many = many
  }

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject })
      if (this.#pending.length >= MAX_BATCH) this.#flush()
      else if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => {
          this.#scheduled = false
          this.#flush()
        })
      }
    })
  }

  #flush(): void {
    const batch = this.#pending
    if (batch.length === 0) return
    this.#pending = []
    const alone = (): void => {
      for (const call of batch) this.#one(call.input).then(call.resolve, call.reject)
    }
    if (batch.length === 1) return alone()
    this.#many(batch.map((call) => call.input)).then(
      (results) => batch.forEach((call, i) => call.resolve(results[i]!)),
      (error: unknown) => (refused(error) ? alone() : batch.forEach((call) => call.reject(error))),
    )
  }
}

/** The server answered with an error (a SQLSTATE outside connection failures and shutdowns): nothing was written. */
function refused(error: unknown): boolean {
  const code = sqlState((error as { cause?: unknown } | null)?.cause ?? error)
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57')
}
