/**
 * @module
 * Group commit: every write asked for in one turn of the event loop runs in one transaction,
 * and each caller's promise settles only after that transaction committed. Under load, a burst
 * of webhook deliveries costs one commit (and, with `synchronous: 'full'`, one fsync) instead
 * of one each, and no delivery is answered before its row is on disk.
 *
 * The flush waits for `setImmediate`, not a microtask: requests that arrive together are
 * handled in separate I/O callbacks of the same loop turn, and a microtask would commit after
 * each of them alone.
 */
import type Database from 'better-sqlite3'
import { explainSqliteError, SqliteStoreError } from './sqlite-store-error.js'

/** A write: runs inside the shared transaction, synchronously; its return value is the result. */
export type Write<T> = () => T

/**
 * Reported after each committed transaction (for metrics, and for tests that count commits).
 *
 * @example
 * ```ts
 * import { createSqliteStore, type CommitInfo } from 'hookflow/sqlite'
 *
 * const store = createSqliteStore({
 *   filename: 'hookflow.db',
 *   onCommit: ({ writes, durationMs }: CommitInfo) => console.debug(`${writes} writes in ${durationMs} ms`),
 * })
 * ```
 */
export interface CommitInfo {
  /** Writes that shared the transaction. */
  writes: number
  /** Time from BEGIN to the end of COMMIT. */
  durationMs: number
}

interface Pending {
  write: Write<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

export class GroupCommit {
  readonly #db: Database.Database
  readonly #filename: string
  readonly #batch: boolean
  readonly #onCommit: ((info: CommitInfo) => void) | undefined
  readonly #transaction: Database.Transaction<(batch: Pending[]) => Outcome[]>
  #pending: Pending[] = []
  #scheduled = false
  #closed = false

  constructor(db: Database.Database, options: { filename: string; batch: boolean; onCommit?: (info: CommitInfo) => void }) {
    this.#db = db
    this.#filename = options.filename
    this.#batch = options.batch
    this.#onCommit = options.onCommit
    this.#transaction = db.transaction((batch: Pending[]) =>
      batch.map(({ write }): Outcome => {
        try {
          return { ok: true, value: write() }
        } catch (error) {
          // A write that fails alone (a constraint, a missing row) fails its caller only;
          // one that took the transaction down with it fails the whole batch.
          if (!db.inTransaction) throw error
          return { ok: false, error }
        }
      }),
    )
  }

  /** Queues `write` for the next transaction; settles once that transaction committed. */
  run<T>(write: Write<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new SqliteStoreError('sqlite_closed', this.#filename, `The SQLite store "${this.#filename}" is closed`))
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#batch) this.flush()
      else if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits what is queued now. */
  flush(): void {
    this.#scheduled = false
    const batch = this.#pending
    if (batch.length === 0) return
    this.#pending = []
    const started = performance.now()
    let outcomes: Outcome[]
    try {
      outcomes = this.#transaction.immediate(batch)
    } catch (error) {
      const failure = new SqliteStoreError(
        'sqlite_write_failed',
        this.#filename,
        `A write to the SQLite database "${this.#filename}" could not be committed: ${explainSqliteError(error)}`,
        error,
      )
      for (const { reject } of batch) reject(failure)
      return
    }
    const durationMs = performance.now() - started
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!
      if (outcome.ok) resolve(outcome.value)
      else reject(outcome.error)
    })
    this.#onCommit?.({ writes: batch.length, durationMs })
  }

  /** Commits what is queued and refuses further writes. */
  close(): void {
    this.flush()
    this.#closed = true
  }
}
