/**
 * @module
 * `createSqliteStore`: executions and jobs in one SQLite file (better-sqlite3), and a durable
 * queue on the same file. What a webhook was answered for is on disk before the answer, and
 * runs to its end after any crash of the process.
 *
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const engine = createEngine({ store: createSqliteStore({ filename: 'hookflow.db' }) })
 * await engine.start() // picks up what a previous process left
 * ```
 */
import type { Store } from '../store.js'
import type { Queue } from '../../queue/queue.js'
import { createPollingQueue, type PollingQueueOptions } from '../../queue/polling-queue.js'
import { openDatabase } from './open-database.js'
import { type CommitInfo, GroupCommit } from './group-commit.js'
import { sqliteRecords } from './sqlite-records.js'

/**
 * What `createSqliteStore` takes: the file, its durability, lock waits, checks and commit reporting.
 *
 * @example
 * ```ts
 * import { createSqliteStore, type SqliteStoreOptions } from 'hookflow/sqlite'
 *
 * const options: SqliteStoreOptions = { filename: 'data/hookflow.db', synchronous: 'full', busyTimeoutMs: 2_000 }
 * const store = createSqliteStore(options)
 * ```
 */
export interface SqliteStoreOptions {
  /** The database file, created when missing (its folder must exist). `:memory:` for tests. */
  filename: string
  /**
   * `'normal'` (default): in WAL mode a committed write survives a crash of the process (a
   * `SIGKILL`, an uncaught error), but the last commits before a power loss or an OS crash may be
   * rolled back (the database stays consistent). `'full'`: an fsync at every commit, so commits
   * also survive a power loss, at the cost of one fsync per transaction (group commit shares it).
   */
  synchronous?: 'normal' | 'full'
  /**
   * How long a write waits for another connection's lock before failing. Default 5000 ms.
   * better-sqlite3 is synchronous: the wait blocks this process, so keep other processes'
   * transactions on the same file short.
   */
  busyTimeoutMs?: number
  /** Writes of one event-loop turn share a transaction. Default true; false commits each alone. */
  groupCommit?: boolean
  /** Runs SQLite's `quick_check` on open (reads the whole file). Default false. */
  integrityCheck?: boolean
  /** Called after each committed transaction, e.g. for metrics. */
  onCommit?: (info: CommitInfo) => void
}

/**
 * What the SQLite store's queue takes: how many executions run at once, how often it polls, where failures go.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const store = createSqliteStore({ filename: 'hookflow.db' })
 * const queue = store.createQueue({ concurrency: 4, pollIntervalMs: 100 })
 * ```
 */
export type SqliteQueueOptions = PollingQueueOptions

/**
 * The SQLite store: a `Store` in one file, with its own durable queue.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createSqliteStore, type SqliteStore } from 'hookflow/sqlite'
 *
 * const store: SqliteStore = createSqliteStore({ filename: 'hookflow.db' })
 * const engine = createEngine({ store }) // runs on store.createQueue()
 * ```
 */
export interface SqliteStore extends Store {
  /** The database file. */
  readonly filename: string
  readonly durable: true
  /** A durable queue on this file; `createEngine` uses it when given no queue. */
  createQueue(options?: SqliteQueueOptions): Queue
  /** Closes the queues made here, commits pending writes, and closes the file. */
  close(): Promise<void>
}

/**
 * Opens (or creates) a SQLite store in one file, in WAL mode; needs the optional peer `better-sqlite3`.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const engine = createEngine({ store: createSqliteStore({ filename: 'hookflow.db' }) })
 * await engine.start() // runs what a previous process left queued
 * ```
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { filename } = options
  if (typeof filename !== 'string') throw new TypeError('createSqliteStore needs a `filename`')
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  if (!(Number.isInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) throw new TypeError(`busyTimeoutMs must be a non-negative integer, got ${String(busyTimeoutMs)}`)
  const synchronous = options.synchronous ?? 'normal'
  if (synchronous !== 'normal' && synchronous !== 'full') throw new TypeError(`synchronous must be 'normal' or 'full', got ${String(synchronous)}`)

  const db = openDatabase(filename, { synchronous, busyTimeoutMs, integrityCheck: options.integrityCheck ?? false })
  const commit = new GroupCommit(db, { filename, batch: options.groupCommit ?? true, onCommit: options.onCommit })
  const { executions, jobs } = sqliteRecords(db, commit)
  const queues = new Set<Queue>()
  let closing: Promise<void> | undefined

  return {
    filename,
    durable: true,
    executions,
    jobs,
    createQueue(queueOptions: SqliteQueueOptions = {}): Queue {
      const queue = createPollingQueue(executions, queueOptions)
      queues.add(queue)
      return queue
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([...queues].map((queue) => queue.close()))
        commit.close()
        db.close()
      })()
      return closing
    },
  }
}
