/**
 * One hookflow process for the crash and outage tests, on the built package (npm test builds
 * it first; a process starts in a fraction of the time a TypeScript loader would take).
 *
 * Env: STORE `sqlite` (DB) or `postgres` (PG_URL, SCHEMA); QUEUE `own` or `bullmq` (REDIS_URL,
 * QUEUE_NAME, PREFIX); ROLE `both` (default), `worker` (no HTTP server) or `receiver`
 * (worker: false); LOG, HOLD, LAYOUT, STEP_MS for the workflow; ENGINE, STORE_OPTIONS and
 * QUEUE_OPTIONS as JSON. Prints `listening PORT` once it answers (not for ROLE=worker), then
 * `ready` once `engine.start()` resolved; the engine's log lines go to stderr. `GET
 * /__executions` answers the stored executions. SIGTERM closes the engine and the server and
 * prints `closed <ms>`; the process then ends by itself, or it would hang.
 */
import { createServer } from 'node:http'
import { createConsoleLogger, createEngine, WebhookTrigger } from '../../../dist/index.js'
import { createListener } from '../../../dist/adapters/node/index.js'
import { nodeTypes, workflow } from './workflow.mjs'

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`outage-node needs ${name}`)
  return value
}
const json = (name) => JSON.parse(process.env[name] ?? '{}')
const role = env('ROLE', 'both')

let store
if (env('STORE') === 'sqlite') {
  const { createSqliteStore } = await import('../../../dist/storage/sqlite/index.js')
  store = createSqliteStore({ filename: env('DB'), ...json('STORE_OPTIONS') })
} else {
  const { createPostgresStore } = await import('../../../dist/storage/postgres/index.js')
  store = createPostgresStore({ connectionString: env('PG_URL'), max: 6, ...json('STORE_OPTIONS') }, { schema: env('SCHEMA') })
}
let queue
if (env('QUEUE', 'own') === 'bullmq') {
  const { createBullmqQueue } = await import('../../../dist/queue/bullmq/index.js')
  queue = createBullmqQueue({ connection: env('REDIS_URL'), queueName: env('QUEUE_NAME'), prefix: env('PREFIX'), store: store.executions, ...json('QUEUE_OPTIONS') })
}

const logger = createConsoleLogger({ level: 'warn', write: (line) => process.stderr.write(`${line}\n`) })
const engine = createEngine({
  store,
  ...(queue ? { queue } : {}),
  nodeTypes: nodeTypes(env('LOG'), process.env.HOLD, Number(process.env.STEP_MS ?? 5)),
  worker: role !== 'receiver',
  logger,
  ...json('ENGINE'),
})
engine.register(workflow(env('LAYOUT', 'plain')))

let server
if (role !== 'worker') {
  const listener = createListener(new WebhookTrigger({ engine }))
  server = createServer(async (req, res) => {
    if (req.url !== '/__executions') return listener(req, res)
    try {
      const executions = await engine.listExecutions({ limit: 1000 })
      res.setHeader('content-type', 'application/json').end(JSON.stringify(executions))
    } catch (error) {
      res.statusCode = 503
      res.end(String(error))
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  console.log(`listening ${server.address().port}`)
}

process.once('SIGTERM', async () => {
  const began = Date.now()
  server?.close()
  server?.closeAllConnections()
  await engine.close()
  console.log(`closed ${Date.now() - began}`)
})

await engine.start()
console.log('ready')
