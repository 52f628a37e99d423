/**
 * What every process of the cluster example shares: where Postgres and Redis are, the store,
 * the queue, and the workflows. Receivers and workers must register the same workflows.
 */
import { defineNode, type Engine } from '../../src/index.js'
import { createPostgresStore, type PostgresStore } from '../../src/storage/postgres/index.js'
import { createBullmqQueue, type BullmqQueue } from '../../src/queue/bullmq/index.js'

export const PG_URL = process.env.HOOKFLOW_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = process.env.HOOKFLOW_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const SCHEMA = process.env.CLUSTER_SCHEMA ?? 'hookflow_cluster_example'
export const QUEUE_NAME = process.env.CLUSTER_QUEUE ?? 'hookflow-cluster-example'

export function openStore(): PostgresStore {
  // Size the pool to what this process runs at once, plus a little for the HTTP path.
  return createPostgresStore({ connectionString: PG_URL, max: 10 }, { schema: SCHEMA })
}

export function openQueue(store: PostgresStore): BullmqQueue {
  return createBullmqQueue({ connection: REDIS_URL, queueName: QUEUE_NAME, store: store.executions, concurrency: 8 })
}

/** A stand-in for real work (a call to a payment or shipping API): it says who ran it. */
const fulfil = defineNode<{ order: unknown }, { order: unknown; by: string }>({
  type: 'cluster.fulfil',
  async run({ config, signal }) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    signal.throwIfAborted()
    return { order: config.order, by: process.env.ROLE_NAME ?? `pid ${process.pid}` }
  },
})

export const nodeTypes = [fulfil]

export function registerWorkflows(engine: Engine): void {
  // Async: the receiver stores it, answers 202, and a worker runs it.
  engine.register({
    key: 'order-placed',
    trigger: { type: 'webhook', id: 'order-placed', response: { statusCode: 202, body: 'queued' } },
    nodes: [{ key: 'fulfil', type: 'cluster.fulfil', config: { order: '{{$context.body.order}}' } }],
  })
  // Sync: runs inline in whichever receiver took the request.
  engine.register({
    key: 'ping',
    sync: true,
    trigger: { type: 'webhook', id: 'ping' },
    nodes: [{ key: 'pong', type: 'response', config: { statusCode: 200, body: { pong: true, by: process.env.ROLE_NAME ?? 'receiver' } } }],
  })
}
