/**
 * @module
 * `createPostgresStore`: executions and jobs in Postgres (node-postgres), for several receivers
 * and workers on one database, and a durable queue on the same tables, so Redis is optional.
 * The schema is created and upgraded by an explicit, idempotent `migrate()`; until then every
 * call fails with `PostgresStoreError` `postgres_schema_missing`.
 *
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createPostgresStore } from 'hookflow/postgres'
 *
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL! })
 * await store.migrate()
 * const engine = createEngine({ store }) // runs async work on store.createQueue()
 * await engine.start()                   // picks up what any process left
 * ```
 */
import type pg from 'pg'
import type { Pool } from 'pg'
import { loadPeer } from '../../peers/load-peer.js'
import type { Store } from '../store.js'
import type { Queue } from '../../queue/queue.js'
import { createPostgresQueue, type PostgresQueueOptions } from './postgres-queue.js'
import { Database } from './database.js'
import { postgresNames } from './names.js'
import { postgresExecutions } from './postgres-executions.js'
import { postgresJobs } from './postgres-jobs.js'
import { SCHEMA_VERSION } from './migrations.js'

/** Where the store connects: a connection string (the store owns that pool) or your pool. */
export type PostgresConnection =
  | {
      connectionString: string
      /** Connections in the pool the store makes. Default 10. */
      max?: number
    }
  | { pool: Pool }

export interface PostgresStoreOptions {
  /** The schema for hookflow's tables, created by `migrate()`. Default `hookflow`. */
  schema?: string
  /** Put before each table name (`hf_` gives `hf_executions`), to share a schema. Default none. */
  tablePrefix?: string
  /**
   * Told when an idle connection of the pool the store made fails (the server restarted, say):
   * the pool drops it and connects again when needed. Default: a process warning.
   */
  onError?: (error: Error) => void
}

export type { PostgresQueueOptions }

export interface PostgresStore extends Store {
  readonly durable: true
  /** The schema the tables are in. */
  readonly schema: string
  /** The pool the store queries through (its own, or the one given). */
  readonly pool: Pool
  /**
   * Creates or upgrades the schema to this hookflow's version; safe to run at every start and
   * from several processes at once. Resolves to the migration versions it applied (`[]` when
   * there was nothing to do).
   */
  migrate(): Promise<number[]>
  /** A durable queue on these tables; `createEngine` uses it when given no queue. */
  createQueue(options?: PostgresQueueOptions): Queue
  /** Closes the queues made here, and ends the pool if the store made it (never one you gave). */
  close(): Promise<void>
}

export { SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION }

export function createPostgresStore(connection: PostgresConnection, options: PostgresStoreOptions = {}): PostgresStore {
  const names = postgresNames(options.schema, options.tablePrefix)
  let pool: Pool
  let ownsPool: boolean
  if (connection && 'pool' in connection && connection.pool) {
    pool = connection.pool
    ownsPool = false
  } else if (connection && 'connectionString' in connection && typeof connection.connectionString === 'string') {
    const max = connection.max ?? 10
    if (!(Number.isInteger(max) && max >= 1)) throw new TypeError(`max must be an integer >= 1, got ${String(max)}`)
    const { Pool: PgPool } = loadPeer<typeof pg>('pg', 'pg@8', 'createPostgresStore (hookflow/postgres)')
    pool = new PgPool({ connectionString: connection.connectionString, max })
    const report = options.onError ?? ((error: Error) => process.emitWarning(error))
    // Without a listener, an idle connection's error would crash the process.
    pool.on('error', (error) => report(new Error(`A pooled Postgres connection failed (schema "${names.schema}")`, { cause: error })))
    ownsPool = true
  } else {
    throw new TypeError('createPostgresStore needs `{ connectionString }` or `{ pool }`')
  }

  const db = new Database(pool, names)
  const executions = postgresExecutions(db)
  const queues = new Set<Queue>()
  let closing: Promise<void> | undefined

  return {
    durable: true,
    schema: names.schema,
    pool,
    executions,
    jobs: postgresJobs(db),
    migrate: () => db.migrate(),
    createQueue(queueOptions: PostgresQueueOptions = {}): Queue {
      const queue = createPostgresQueue(db, pool, executions, queueOptions)
      queues.add(queue)
      return queue
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([...queues].map((queue) => queue.close()))
        db.close()
        if (ownsPool) await pool.end()
      })()
      return closing
    },
  }
}
