/**
 * One process of the cluster test, on Postgres and BullMQ: `ROLE=receiver` answers webhooks
 * (worker: false) on a port it prints; `ROLE=worker` runs async executions. The workflow's two
 * `cluster.record` nodes insert a row per run into `node_runs`, so the test can count how often
 * each node of each execution ran, and in which process.
 *
 * Plain JavaScript on the built package (npm test builds it first): five processes start in a
 * fraction of the time a TypeScript loader would take on a busy machine.
 */
import { createServer } from 'node:http'
import { createEngine, defineNode, WebhookTrigger } from '../../../dist/index.js'
import { createListener } from '../../../dist/adapters/node/index.js'
import { createPostgresStore } from '../../../dist/storage/postgres/index.js'
import { createBullmqQueue } from '../../../dist/queue/bullmq/index.js'

const env = (name) => {
  const value = process.env[name]
  if (!value) throw new Error(`cluster-node needs ${name}`)
  return value
}
const [ROLE, PG_URL, SCHEMA, REDIS_URL, QUEUE, PREFIX] = ['ROLE', 'PG_URL', 'SCHEMA', 'REDIS_URL', 'QUEUE', 'PREFIX'].map(env)
const worker = ROLE === 'worker'

const store = createPostgresStore({ connectionString: PG_URL, max: worker ? 10 : 4 }, { schema: SCHEMA })
const queue = createBullmqQueue({
  connection: REDIS_URL,
  queueName: QUEUE,
  prefix: PREFIX,
  store: store.executions,
  concurrency: 8,
  // Short, so a killed worker's jobs come back within the test.
  lockDurationMs: 4000,
  stalledIntervalMs: 500,
  sweepIntervalMs: 500,
  onError: (error) => console.error(`${ROLE} ${process.pid}:`, error.message, String(error.cause?.message ?? '')),
})

const record = defineNode({
  type: 'cluster.record',
  async run({ node, execution }) {
    await store.pool.query(`INSERT INTO "${SCHEMA}".node_runs (execution_id, node_key, pid) VALUES ($1, $2, $3)`, [execution.id, node.key, process.pid])
    // A moment of work; a delivery with `pause` holds its first node that long, so the test
    // can kill a worker while it is surely mid-run.
    const pause = node.key === 'first' && typeof execution.context.body.pause === 'number' ? execution.context.body.pause : 2
    await new Promise((resolve) => setTimeout(resolve, pause))
    return process.pid
  },
})

const engine = createEngine({ store, queue, nodeTypes: [record], worker, leaseMs: 4000 })
engine.on('error', (error) => console.error(`${ROLE} ${process.pid}:`, error.message, String(error.cause?.message ?? '')))
engine.register({
  key: 'deliver',
  trigger: { type: 'webhook', id: 'deliver' },
  nodes: [{ key: 'first', type: 'cluster.record' }, { key: 'second', type: 'cluster.record' }],
})

if (worker) {
  await engine.start()
  console.log('ready')
} else {
  const server = createServer(createListener(new WebhookTrigger({ engine })))
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
}
