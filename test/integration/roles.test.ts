import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createEngine, defineNode, type Engine, type Queue, type Store, WebhookTrigger } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { createBullmqQueue } from '../../src/queue/bullmq/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'

// A receiver-only engine (worker: false) and a worker engine on the same SQLite file, as two
// processes would be: the receiver answers and stores, the worker runs what it accepted.

const dir = mkdtempSync(join(tmpdir(), 'hookflow-roles-'))
let files = 0
const redis = await redisAvailable('the BullMQ role tests')
const postgres = await postgresService()
const prefix = testPrefix('roles')
const queueNames: string[] = []
afterAll(async () => {
  if (redis) for (const name of queueNames) await obliterate(name, prefix)
  rmSync(dir, { recursive: true, force: true })
})

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

/** A node that says which engine ran it. */
const mark = (role: string) => defineNode({ type: 'test.mark', run: () => role })

function pair(queue?: (store: Store) => Queue) {
  const filename = join(dir, `roles-${++files}.db`)
  const make = (role: 'receiver' | 'worker') => {
    const store = createSqliteStore({ filename })
    const engine = createEngine({ store, worker: role === 'worker', nodeTypes: [mark(role)], ...(queue ? { queue: queue(store) } : {}) })
    engines.push(engine)
    engine.register({ key: 'later', trigger: { type: 'webhook', id: 'later' }, nodes: [{ key: 'who', type: 'test.mark' }] })
    engine.register({
      key: 'now', sync: true, trigger: { type: 'webhook', id: 'now' },
      nodes: [{ key: 'who', type: 'test.mark' }, { key: 'answer', type: 'response', config: { statusCode: 200, body: { ranBy: '{{$jobsMapByNodeKey.who}}' } } }],
    })
    return engine
  }
  return { receiver: make('receiver'), worker: make('worker') }
}

const post = (trigger: WebhookTrigger, id: string, body: unknown) =>
  trigger.fetch(new Request(`http://localhost/api/webhook:trigger/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

describe('roles', () => {
  it('refuses a receiver-only engine with nothing other processes could read', () => {
    expect(() => createEngine({ worker: false })).toThrow(/worker: false/)
  })

  it('lets a worker run the async executions a receiver-only engine accepted (SQLite)', async () => {
    const { receiver, worker } = pair()
    await receiver.start()
    const response = await post(new WebhookTrigger({ engine: receiver }), 'later', { n: 1 })
    expect(response.status).toBe(200)
    const id = response.headers.get('x-execution-id')!
    expect((await receiver.getExecution(id))?.status).toBe('queued')
    await worker.start()
    await expect.poll(async () => (await worker.getExecution(id))?.status, { timeout: 10_000 }).toBe('resolved')
    expect((await receiver.getExecution(id))?.jobs.map((job) => job.result)).toEqual(['worker'])
  })

  it('runs sync workflows inline in the receiver-only engine', async () => {
    const { receiver } = pair()
    const response = await post(new WebhookTrigger({ engine: receiver }), 'now', {})
    expect(await response.json()).toEqual({ ranBy: 'receiver' })
  })

  describe.runIf(postgres)('on Postgres alone', () => {
    const schema = testSchema('roles')
    it('wakes a worker elsewhere at once for what a receiver-only engine stored (no poll needed)', async () => {
      const make = (role: 'receiver' | 'worker') => {
        const store = createPostgresStore({ connectionString: postgres!.url, max: 4 }, { schema })
        // The worker's poll is far too slow to be what runs it within the test.
        const engine = createEngine({ store, worker: role === 'worker', nodeTypes: [mark(role)], queue: store.createQueue({ pollIntervalMs: 600_000 }) })
        engines.push(engine)
        engine.register({ key: 'later', trigger: { type: 'webhook', id: 'later' }, nodes: [{ key: 'who', type: 'test.mark' }] })
        return { engine, store }
      }
      const receiver = make('receiver')
      await receiver.store.migrate()
      const worker = make('worker')
      await worker.engine.start()
      const response = await post(new WebhookTrigger({ engine: receiver.engine }), 'later', {})
      const id = response.headers.get('x-execution-id')!
      await expect.poll(async () => (await worker.engine.getExecution(id))?.status, { timeout: 10_000 }).toBe('resolved')
      expect((await worker.engine.getExecution(id))?.jobs.map((job) => job.result)).toEqual(['worker'])
    })
  })

  it.runIf(redis)('lets a worker run what a receiver-only engine enqueued on BullMQ', async () => {
    const queueName = `q${queueNames.length + 1}`
    queueNames.push(queueName)
    const { receiver, worker } = pair((store) => createBullmqQueue({ connection: REDIS_URL, queueName, prefix, store: store.executions }))
    await Promise.all([receiver.start(), worker.start()])
    const trigger = new WebhookTrigger({ engine: receiver })
    const ids = await Promise.all(Array.from({ length: 20 }, async (_, n) => (await post(trigger, 'later', { n })).headers.get('x-execution-id')!))
    // The receiver's idle() waits for what it enqueued, wherever it runs.
    await receiver.idle()
    const runs = await Promise.all(ids.map(async (id) => receiver.getExecution(id)))
    expect(runs.map((run) => [run?.status, run?.jobs.map((job) => job.result)])).toEqual(ids.map(() => ['resolved', ['worker']]))
  })
})
