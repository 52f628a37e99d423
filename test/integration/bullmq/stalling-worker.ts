/**
 * A worker on a real SQLite file and a real BullMQ queue that claims the execution it is handed,
 * says so on stdout, and then hangs, so the test can SIGKILL it mid-run. Its job lock is short,
 * so BullMQ notices the dead worker soon.
 */
import { createSqliteStore } from '../../../src/storage/sqlite/index.js'
import { createBullmqQueue } from '../../../src/queue/bullmq/index.js'

const [REDIS_URL, QUEUE, PREFIX, DB] = (['REDIS_URL', 'QUEUE', 'PREFIX', 'DB'] as const).map((name) => process.env[name] ?? '') as [string, string, string, string]
const store = createSqliteStore({ filename: DB })
const queue = createBullmqQueue({
  connection: REDIS_URL,
  queueName: QUEUE,
  prefix: PREFIX,
  store: store.executions,
  lockDurationMs: 1000,
  stalledIntervalMs: 200,
})
await queue.start(async (id) => {
  await store.executions.claim(id, { owner: 'doomed-worker', leaseMs: 500, now: Date.now() })
  console.log(`claimed ${id}`)
  await new Promise(() => undefined)
})
console.log('ready')
