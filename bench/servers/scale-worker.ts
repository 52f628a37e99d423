/**
 * A worker process for the scale scenario: runs the workload's async workflow from Postgres,
 * through BullMQ (`MODE=bullmq`) or through the Postgres store's own SKIP LOCKED queue
 * (`MODE=postgres`). Prints `loaded` once connected, starts working the queue at a `go` line
 * on stdin (so that every worker starts at the same moment), prints `ready`; SIGTERM closes it.
 */
import { createInterface } from 'node:readline'
import { createEngine } from '../../dist/index.js'
import { createPostgresStore } from '../../dist/storage/postgres/index.js'
import { createBullmqQueue } from '../../dist/queue/bullmq/index.js'
import { asyncWorkflow } from '../workload.js'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`scale-worker needs ${name}`)
  return value
}
const concurrency = Number(process.env.CONCURRENCY ?? 8)
const store = createPostgresStore({ connectionString: env('PG_URL'), max: concurrency + 2 }, { schema: env('SCHEMA') })
const queue = env('MODE') === 'bullmq'
  ? createBullmqQueue({ connection: env('REDIS_URL'), queueName: env('QUEUE'), prefix: env('PREFIX'), store: store.executions, concurrency })
  : store.createQueue({ concurrency, pollIntervalMs: 50 })
const engine = createEngine({ store, queue })
engine.register(asyncWorkflow)
engine.on('error', (error) => console.error('scale-worker:', error))
console.log('loaded')
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).on('line', (line) => line === 'go' && resolve()))
await engine.start()
console.log('ready')

process.once('SIGTERM', async () => {
  await queue.close()
  await engine.close()
  process.exit(0)
})
