/**
 * `hookflow/postgres`: the store for several processes and machines (needs the optional peer
 * `pg` 8). Executions and jobs in one Postgres schema, unique event keys kept by the database,
 * versioned migrations run by `migrate()`, and a queue on the same tables (claims with
 * `SKIP LOCKED`), so a deployment needs nothing but Postgres.
 *
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 * import { createPostgresStore } from 'hookflow/postgres'
 * import http from 'node:http'
 *
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' })
 * await store.migrate()
 * const engine = createEngine({ store })
 * await engine.start()
 * http.createServer(createListener(new WebhookTrigger({ engine }))).listen(3000)
 * ```
 *
 * @module hookflow/postgres
 */
export {
  createPostgresStore,
  POSTGRES_SCHEMA_VERSION,
  type PostgresConnection,
  type PostgresQueueOptions,
  type PostgresStore,
  type PostgresStoreOptions,
} from './postgres-store.js'
export { PostgresStoreError, type PostgresStoreErrorCode } from './postgres-store-error.js'
