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
import type { Pool } from 'pg'
import type { Store } from '../store.js'
import type { Outages, Queue } from '../../queue/queue.js'
import { OutageReport } from '../../queue/outage-report.js'
import { createOwnPool, type OwnPool, type OwnPoolOptions, serverName } from './own-pool.js'
import { createPostgresQueue, type PostgresQueueOptions } from './postgres-queue.js'
import { Database } from './database.js'
import { postgresNames } from './names.js'
import { postgresExecutions } from './postgres-executions.js'
import { postgresJobs } from './postgres-jobs.js'
import { SCHEMA_VERSION } from './migrations.js'

/**
 * Where the store connects: a connection string (the store owns that pool, with the deadlines
 * below) or your pool (set `connectionTimeoutMillis`, `statement_timeout` and `query_timeout`
 * on it yourself). With a connection string: `max` connections (default 10), `connectTimeoutMs`
 * (default 5,000), `statementTimeoutMs` (default 10,000; 0 = none) and
 * `idleInTransactionTimeoutMs` (default 10,000; 0 = none).
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import type { PostgresConnection } from 'hookflow/postgres'
 *
 * const owned: PostgresConnection = { connectionString: 'postgres://app@db/app', max: 20 }
 * const shared: PostgresConnection = { pool: new pg.Pool({ connectionString: 'postgres://app@db/app' }) }
 * ```
 */
export type PostgresConnection = OwnPoolOptions | { pool: Pool }

/**
 * Where the Postgres store's tables go (schema, name prefix), and where idle-connection failures are reported.
 *
 * @example
 * ```ts
 * import { createPostgresStore, type PostgresStoreOptions } from 'hookflow/postgres'
 *
 * const options: PostgresStoreOptions = { schema: 'app', tablePrefix: 'hf_' }
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' }, options)
 * ```
 */
export interface PostgresStoreOptions {
  /** The schema for hookflow's tables, created by `migrate()`. Default `hookflow`. */
  schema?: string
  /** Put before each table name (`hf_` gives `hf_executions`), to share a schema. Default none. */
  tablePrefix?: string
  /**
   * Told when idle connections of the pool the store made start failing (the server restarted,
   * say), once per outage: the pool drops them and connects again when needed. Default: the
   * engine's log, or a process warning.
   */
  onError?: (error: Error) => void
}

export type { PostgresQueueOptions }

/**
 * The Postgres store: a `Store` on one schema, with `migrate()` and its own durable queue.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createPostgresStore, type PostgresStore } from 'hookflow/postgres'
 *
 * const store: PostgresStore = createPostgresStore({ connectionString: process.env.DATABASE_URL! })
 * await store.migrate()
 * const engine = createEngine({ store })
 * ```
 */
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
  /**
   * Closes the queues made here, and ends the pool if the store made it (never one you gave).
   * Resolves within about three seconds whatever the server does: connections that do not
   * close by then are destroyed.
   */
  close(): Promise<void>
}

/** How long `close()` gives the queues, then the pool, before going on without them. */
const CLOSE_GRACE_MS = 1500

export { SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION }

/**
 * Creates a store on Postgres for several processes and machines; needs the optional peer `pg`, and `migrate()` before use.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createPostgresStore } from 'hookflow/postgres'
 *
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' })
 * await store.migrate()
 * const engine = createEngine({ store })
 * await engine.start()
 * ```
 */
export function createPostgresStore(connection: PostgresConnection, options: PostgresStoreOptions = {}): PostgresStore {
  const names = postgresNames(options.schema, options.tablePrefix)
  const outage = new OutageReport('store', options.onError)
  let pool: Pool
  let own: OwnPool | undefined
  if (connection && 'pool' in connection && connection.pool) {
    pool = connection.pool
  } else if (connection && 'connectionString' in connection && typeof connection.connectionString === 'string') {
    own = createOwnPool(connection)
    pool = own.pool
  } else {
    throw new TypeError('createPostgresStore needs `{ connectionString }` or `{ pool }`')
  }
  const server = serverName(pool)
  if (own) {
    // Without a listener, an idle connection's error would crash the process. Reported once
    // per outage; the next query that succeeds ends it.
    pool.on('error', (error) => outage.failed(new Error(`A pooled connection to Postgres at ${server} failed (schema "${names.schema}")`, { cause: error })))
  }

  const db = new Database(pool, names, server, () => outage.recovered())
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
    reportOutages(outages: Outages): void {
      outage.attach(outages)
    },
    close(): Promise<void> {
      closing ??= (async () => {
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([
          Promise.all([...queues].map((queue) => queue.close().catch(() => undefined))),
          new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
        ])
        clearTimeout(timer)
        db.close()
        await own?.end(CLOSE_GRACE_MS)
      })()
      return closing
    },
  }
}
