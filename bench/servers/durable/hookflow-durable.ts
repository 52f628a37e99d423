/**
 * hookflow through `hookflow/node` for the durable scenario, on the store STORE names:
 * `memory`, `sqlite` (a fresh file), `postgres` (its own queue, in SCHEMA), or `bullmq`
 * (the Postgres store in SCHEMA with the BullMQ queue under PREFIX). CONCURRENCY sets the
 * queue's `concurrency`, the store's own or BullMQ's (default: the queue's own, 8). Counts finished runs for
 * the harness; the harness drops the schema and the Redis keys afterwards.
 */
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, createMemoryStore, type Queue, type Store, WebhookTrigger } from '../../../dist/index.js'
import { createListener } from '../../../dist/adapters/node/index.js'
import { createSqliteStore } from '../../../dist/storage/sqlite/index.js'
import { createPostgresStore } from '../../../dist/storage/postgres/index.js'
import { createBullmqQueue } from '../../../dist/queue/bullmq/index.js'
import { asyncWorkflow } from '../../workload.js'
import { serveBench } from '../../lib/serve-bench.js'

const kind = process.env.STORE ?? 'memory'
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
let store: Store
let queue: Queue | undefined
const concurrency = process.env.CONCURRENCY ? Number(process.env.CONCURRENCY) : undefined
if (kind === 'memory') {
  store = createMemoryStore()
} else if (kind === 'sqlite') {
  const sqliteStore = createSqliteStore({ filename: join(mkdtempSync(join(tmpdir(), 'hookflow-bench-')), 'bench.db') })
  store = sqliteStore
  if (concurrency) queue = sqliteStore.createQueue({ concurrency })
} else {
  // The same pool size as the hand-written pg receiver.
  const pgStore = createPostgresStore({ connectionString: PG_URL, max: 10 }, { schema: process.env.SCHEMA ?? 'hookflow_bench' })
  await pgStore.migrate()
  store = pgStore
  if (kind === 'postgres' && concurrency) queue = pgStore.createQueue({ concurrency })
  if (kind === 'bullmq') {
    queue = createBullmqQueue({ connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queueName: 'deliveries', prefix: process.env.PREFIX ?? 'hookflow-bench', store: pgStore.executions, ...(concurrency ? { concurrency } : {}) })
  }
}
const engine = createEngine({ store, ...(queue ? { queue } : {}) })
engine.register(asyncWorkflow)
let completed = 0
let accepted = 0
engine.on('execution:created', () => void accepted++)
engine.on('execution:finished', () => void completed++)
await engine.start()
const trigger = new WebhookTrigger({ engine })
serveBench(createServer(createListener(trigger)), { idle: () => engine.idle(), completed: () => completed, accepted: () => accepted })
