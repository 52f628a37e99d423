/**
 * Starts a BullMQ queue on the memory store, runs one execution through it, closes it, and
 * then relies on nothing but the event loop emptying: the process only exits by itself if
 * `close()` left no connection, timer or worker behind.
 */
import { createMemoryStore } from '../../../src/storage/memory-store.js'
import { createBullmqQueue } from '../../../src/queue/bullmq/index.js'

const [REDIS_URL, QUEUE, PREFIX] = (['REDIS_URL', 'QUEUE', 'PREFIX'] as const).map((name) => process.env[name] ?? '') as [string, string, string]
const store = createMemoryStore()
const queue = createBullmqQueue({ connection: REDIS_URL, queueName: QUEUE, prefix: PREFIX, store: store.executions })
await store.executions.create({
  id: 'one', workflowKey: 'w', eventKey: null, sync: false, status: 'queued', reason: null,
  context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
  createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0,
})
let ran = 0
await queue.start(async (id) => {
  if (await store.executions.claim(id, { owner: 'me', leaseMs: 60_000, now: Date.now() })) ran++
  await store.executions.update(id, { status: 'resolved', finishedAt: Date.now() })
})
await queue.enqueue('one')
await queue.idle()
await queue.close()
console.log(`ran ${ran}`)
