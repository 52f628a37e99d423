import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createEngine, createMemoryStore, WebhookTrigger, type NewExecution, type Store } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { bullmqDelayedJobId, bullmqJobId, createBullmqQueue, type BullmqQueue, type BullmqQueueOptions } from '../../src/queue/bullmq/index.js'
import { describeQueue } from '../../src/testing/index.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// A real Redis, its own key prefix for this file, one queue name per test, all obliterated at the end.
const redis = await redisAvailable('the BullMQ queue tests')
const postgres = await postgresService()
const prefix = testPrefix('bullmq')
const names: string[] = []
const queueName = (): string => {
  names.push(`q${names.length + 1}`)
  return names.at(-1)!
}
const dir = mkdtempSync(join(tmpdir(), 'hookflow-bullmq-'))
let files = 0
const filename = (): string => join(dir, `store-${++files}.db`)
afterAll(async () => {
  if (redis) for (const name of names) await obliterate(name, prefix)
  rmSync(dir, { recursive: true, force: true })
})

const bullmq = (store: Store, options: Partial<BullmqQueueOptions> = {}): BullmqQueue =>
  createBullmqQueue({ connection: REDIS_URL, queueName: queueName(), prefix, store: store.executions, backoffMs: 10, ...options })

describe.runIf(redis)('BullMQ queue', () => {
  describeQueue('bullmq on the memory store', ({ concurrency, pollIntervalMs }) => {
    const store = createMemoryStore()
    return { store, queue: bullmq(store, { concurrency, sweepIntervalMs: pollIntervalMs }) }
  }, { durable: true })

  describeQueue('bullmq on the sqlite store', ({ concurrency, pollIntervalMs }) => {
    const store = createSqliteStore({ filename: filename() })
    return { store, queue: bullmq(store, { concurrency, sweepIntervalMs: pollIntervalMs }) }
  }, { durable: true })

  describe.runIf(postgres)('on postgres', () => {
    const schema = testSchema('bullmq')
    let migrated: Promise<unknown> | undefined
    describeQueue('bullmq on the postgres store', async ({ concurrency, pollIntervalMs }) => {
      const store = createPostgresStore({ connectionString: postgres!.url, max: 4 }, { schema })
      migrated ??= store.migrate()
      await migrated
      await postgres!.pool.query(`TRUNCATE "${schema}".executions, "${schema}".jobs`)
      return { store, queue: bullmq(store, { concurrency, sweepIntervalMs: pollIntervalMs }) }
    }, { durable: true })
  })

  describe('its own rules', () => {
    const open: Array<{ queue: BullmqQueue; store: Store }> = []
    const children: ChildProcess[] = []
    afterEach(async () => {
      for (const child of children.splice(0)) child.kill('SIGKILL')
      for (const { queue, store } of open.splice(0)) {
        await queue.close()
        await store.close?.()
      }
    })

    function setup(options: Partial<BullmqQueueOptions> = {}, store: Store = createMemoryStore()) {
      const queue = bullmq(store, options)
      open.push({ queue, store })
      const finished: string[] = []
      const calls: Array<{ id: string; at: number }> = []
      const handler = async (id: string): Promise<void> => {
        calls.push({ id, at: Date.now() })
        if (!(await store.executions.claim(id, { owner: 'test', leaseMs: 60_000, now: Date.now() }))) return
        await store.executions.update(id, { status: 'resolved', finishedAt: Date.now() })
        finished.push(id)
      }
      return { queue, store, finished, calls, handler }
    }

    const stored = async (store: Store, id: string = crypto.randomUUID(), overrides: Partial<NewExecution> = {}): Promise<string> => {
      await store.executions.create({
        id, workflowKey: 'w', eventKey: null, sync: false, status: 'queued', reason: null,
        context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
        createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0, ...overrides,
      })
      return id
    }

    it('adds the executions enqueued in one turn with one addBulk, each enqueue resolving once it is in Redis', async () => {
      const { queue, store, finished, handler } = setup()
      const calls: number[] = []
      const addBulk = queue.bullQueue.addBulk.bind(queue.bullQueue)
      queue.bullQueue.addBulk = async (jobs) => (calls.push(jobs.length), addBulk(jobs))
      const ids = await Promise.all(Array.from({ length: 12 }, () => stored(store)))
      await Promise.all(ids.map((id) => queue.enqueue(id)))
      expect(calls).toEqual([12])
      expect((await queue.bullQueue.getJobCounts('waiting')).waiting).toBe(12)
      await queue.start(handler)
      await queue.idle()
      expect(finished.sort()).toEqual([...ids].sort())
    })

    it('derives job ids BullMQ accepts from ids with ":" or only digits, one per execution', () => {
      const ids = ['123', '0', 'a:b', 'a:b:c', 'a%3Ab', '0190f0e8-7c6a-7b3e-9b1a-0a1b2c3d4e5f', 'x-1', '%']
      const jobIds = ids.map(bullmqJobId)
      for (const jobId of jobIds) {
        expect(jobId).not.toContain(':')
        expect(`${parseInt(jobId, 10)}`).not.toBe(jobId)
      }
      expect(new Set(jobIds).size).toBe(ids.length)
      expect(ids.map(bullmqJobId)).toEqual(jobIds)
      expect(new Set(ids.map((id) => bullmqDelayedJobId(id, 5))).size).toBe(ids.length)
      expect(jobIds).not.toContain(bullmqDelayedJobId('x', 1))
      expect(() => bullmqJobId('')).toThrow(TypeError)
    })

    it('runs executions whose ids have ":" or only digits', async () => {
      const t = setup()
      const ids = [await stored(t.store, '123'), await stored(t.store, 'a:b:c')]
      await t.queue.start(t.handler)
      for (const id of ids) await t.queue.enqueue(id)
      await t.queue.idle()
      expect([...t.finished].sort()).toEqual(['123', 'a:b:c'])
    })

    it('keeps one job for an id enqueued twice while it waits', async () => {
      const t = setup()
      const id = await stored(t.store)
      await t.queue.enqueue(id)
      await t.queue.enqueue(id)
      expect(await t.queue.bullQueue.getWaitingCount()).toBe(1)
      expect((await t.queue.bullQueue.getJob(bullmqJobId(id)))?.data).toEqual({ executionId: id })
    })

    it('hands a delayed id no earlier than its delay, and idle() does not wait for it', async () => {
      // A parked execution is not claimable before it is due; this sweep sees nothing, so only
      // the delayed job can bring the id.
      const t = setup({ store: { claimable: async () => [] } })
      const id = await stored(t.store)
      await t.queue.start(t.handler)
      const enqueuedAt = Date.now()
      // Long enough that the checks below all run before it is due, on a busy machine too.
      await t.queue.enqueue(id, { delayMs: 2_000 })
      expect(await t.queue.bullQueue.getJobState(bullmqJobId(id))).toBe('unknown')
      expect(await t.queue.bullQueue.getDelayedCount()).toBe(1)
      await t.queue.idle()
      expect(t.calls).toEqual([])
      await expect.poll(() => t.calls.length, { timeout: 20_000 }).toBe(1)
      expect(t.calls[0]!.at - enqueuedAt).toBeGreaterThanOrEqual(2_000)
    })

    it('delivers an id again that its own running job enqueued (an execution parking itself)', async () => {
      const t = setup({ store: { claimable: async () => [] } })
      const id = await stored(t.store)
      const seen: number[] = []
      await t.queue.start(async (executionId) => {
        seen.push(seen.length + 1)
        // The first run parks itself: the same id again while its own job is still active.
        if (seen.length === 1) await t.queue.enqueue(executionId)
        if (seen.length === 2) await t.queue.enqueue(executionId, { delayMs: 50 })
      })
      await t.queue.enqueue(id)
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1, 2, 3])
    })

    it('still delivers a delayed id after the queue that took it closed', async () => {
      const store = createMemoryStore()
      const id = await stored(store)
      const name = queueName()
      const first = createBullmqQueue({ connection: REDIS_URL, queueName: name, prefix, store: store.executions })
      await first.enqueue(id, { delayMs: 300 })
      await first.close()
      // The sweep would find the queued execution by itself; this one sees nothing, so only the
      // delayed job in Redis can bring the id.
      const second = createBullmqQueue({ connection: REDIS_URL, queueName: name, prefix, store: { claimable: async () => [] } })
      open.push({ queue: second, store })
      const handled: string[] = []
      await second.start(async (executionId) => void handled.push(executionId))
      await expect.poll(() => handled, { timeout: 10_000 }).toEqual([id])
    })

    it('retries a handler that failed, after a backoff', async () => {
      const t = setup({ attempts: 3, backoffMs: 50, onError: () => undefined })
      const id = await stored(t.store)
      let failures = 1
      await t.queue.start(async (executionId) => {
        if (failures-- > 0) throw new Error('database unreachable')
        await t.handler(executionId)
      })
      await t.queue.enqueue(id)
      await expect.poll(() => t.finished, { timeout: 10_000 }).toEqual([id])
      expect(t.calls).toHaveLength(1)
    })

    it('gives a job whose worker was killed mid-run to another worker, and the run happens once', async () => {
      const store = createSqliteStore({ filename: filename() })
      const name = queueName()
      const id = await stored(store)
      const child = spawn(process.execPath, ['--import', 'tsx', new URL('./bullmq/stalling-worker.ts', import.meta.url).pathname], {
        env: { ...process.env, REDIS_URL, QUEUE: name, PREFIX: prefix, DB: store.filename },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(child)
      const lines = createInterface({ input: child.stdout! })
      const said = (text: string): Promise<void> => new Promise((resolve) => lines.on('line', (line) => line === text && resolve()))
      const ready = said('ready')
      const claimed = said(`claimed ${id}`)
      await ready
      const producer = createBullmqQueue({ connection: REDIS_URL, queueName: name, prefix, store: store.executions })
      await producer.enqueue(id)
      await producer.close()
      await claimed
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      expect((await store.executions.get(id))?.status).toBe('started')

      // No sweep here (a very long interval, and its first look finds the job still in Redis):
      // only BullMQ's stalled-job check can bring the job back.
      const queue = createBullmqQueue({ connection: REDIS_URL, queueName: name, prefix, store: store.executions, stalledIntervalMs: 200, sweepIntervalMs: 600_000 })
      open.push({ queue, store })
      const finished: string[] = []
      await queue.start(async (executionId) => {
        const run = await store.executions.claim(executionId, { owner: 'survivor', leaseMs: 60_000, now: Date.now() })
        if (!run) return
        await store.executions.update(executionId, { status: 'resolved', finishedAt: Date.now() })
        finished.push(executionId)
      })
      await expect.poll(() => finished, { timeout: 15_000 }).toEqual([id])
      const record = await store.executions.get(id)
      expect(record).toMatchObject({ status: 'resolved', attempts: 2 })
    })

    it('delivers again later a job whose execution another worker holds, instead of dropping it', async () => {
      const store = createMemoryStore()
      // No sweep to rescue a dropped job: only the redelivery can bring it back.
      const queue = bullmq(store, { sweepIntervalMs: 600_000 })
      const engine = createEngine({ store, queue, leaseMs: 600, logger: false })
      open.push({ queue, store })
      engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [{ key: 'end', type: 'end' }] })
      const id = await stored(store, undefined, { workflowKey: 'hello' })
      // Held by a worker that died without this host knowing (its lease runs out in 500 ms).
      await store.executions.claim(id, { owner: 'a-worker-elsewhere', leaseMs: 500, now: Date.now() })
      await engine.start()
      await queue.enqueue(id)
      await expect.poll(async () => (await store.executions.get(id))?.status, { timeout: 10_000 }).toBe('resolved')
      expect((await store.executions.get(id))?.attempts).toBe(2)
    })

    it('fails the job when the store fails under the run, so BullMQ\'s attempts retry it', async () => {
      const memory = createMemoryStore()
      let failures = 2
      const claims: number[] = []
      const store: Store = {
        ...memory,
        executions: {
          ...memory.executions,
          claim: async (id, options) => {
            claims.push(Date.now())
            if (failures-- > 0) throw new Error('connect ECONNREFUSED')
            return memory.executions.claim(id, options)
          },
        },
      }
      const queue = bullmq(store, { sweepIntervalMs: 600_000, attempts: 5, backoffMs: 50, onError: () => undefined })
      const engine = createEngine({ store, queue, logger: false })
      engine.on('error', () => undefined)
      open.push({ queue, store })
      engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [{ key: 'end', type: 'end' }] })
      await engine.start()
      const { id } = await engine.trigger('hello')
      await expect.poll(async () => (await memory.executions.get(id))?.status, { timeout: 10_000 }).toBe('resolved')
      expect(claims).toHaveLength(3)
      // BullMQ's exponential backoff from 50 ms: the retries wait, they do not spin.
      expect(claims[2]! - claims[1]!).toBeGreaterThanOrEqual(90)
    })

    it('runs an async webhook delivery end to end through createEngine', async () => {
      const store = createMemoryStore()
      const queue = bullmq(store)
      const engine = createEngine({ store, queue })
      engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [{ key: 'end', type: 'end' }] })
      const response = await new WebhookTrigger({ engine }).fetch(
        new Request('http://localhost/api/webhook:trigger/hello', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }),
      )
      expect(response.status).toBe(200)
      const id = response.headers.get('x-execution-id')!
      await engine.idle()
      expect((await engine.getExecution(id))?.status).toBe('resolved')
      await engine.close()
    })

    it('leaves nothing behind after close(): the process exits by itself', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', new URL('./bullmq/close-cleanly.ts', import.meta.url).pathname], {
        env: { ...process.env, REDIS_URL, QUEUE: queueName(), PREFIX: prefix },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      children.push(child)
      let output = ''
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const code = await new Promise((resolve) => child.once('exit', resolve))
      expect(code).toBe(0)
      expect(output.trim()).toBe('ran 1')
    })

    it('refuses bad options with a clear error', () => {
      const store = createMemoryStore()
      const base = { connection: REDIS_URL, queueName: 'q', store: store.executions }
      expect(() => createBullmqQueue({ ...base, queueName: 'a:b' })).toThrow(/queueName/)
      expect(() => createBullmqQueue({ ...base, concurrency: 0 })).toThrow(/concurrency/)
      expect(() => createBullmqQueue({ ...base, store: undefined as never })).toThrow(/store\.executions/)
    })
  })
})
