/**
 * `hookflow/sqlite`: the embedded durable store (needs the optional peer `better-sqlite3` 12).
 * Executions and jobs in one file in WAL mode, writes of one event-loop turn committed
 * together, and a queue on the same file that runs, after a crash, what was accepted before it.
 *
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 * import { createSqliteStore } from 'hookflow/sqlite'
 * import http from 'node:http'
 *
 * const engine = createEngine({ store: createSqliteStore({ filename: 'hookflow.db' }) })
 * await engine.start()
 * http.createServer(createListener(new WebhookTrigger({ engine }))).listen(3000)
 * ```
 *
 * @module hookflow/sqlite
 */
export { createSqliteStore, type SqliteQueueOptions, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js'
export type { CommitInfo } from './group-commit.js'
export { SqliteStoreError, type SqliteStoreErrorCode } from './sqlite-store-error.js'
