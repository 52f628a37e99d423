import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine, createMemoryStore, defineNode, type LogFields, type Logger, type Queue, type Store, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { createPollingQueue } from '../../src/queue/polling-queue.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { QUIET_MS } from '../../src/engine/logging/outage.js'

// The store failing under a run is not the run's failure: the execution is left to be resumed
// from its last saved job, never ended `error`. Starting and closing are bounded in time, and an
// outage is one log line when it starts and one when it ends.

const dir = mkdtempSync(join(tmpdir(), 'hookflow-infra-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function stepNode(runs: string[]) {
  return defineNode({
    type: 'test.step',
    run: async ({ node, execution }) => {
      runs.push(`${execution.id} ${node.key}`)
      return node.key
    },
  })
}

const steps: WorkflowDefinition = {
  key: 'steps',
  trigger: { type: 'webhook', id: 'steps' },
  nodes: ['one', 'two', 'three'].map((key) => ({ key, type: 'test.step' })),
}

/** A durable-looking memory store whose `jobs.save` fails while `failing()` says so. */
function flakyStore(failing: (nodeKey: string) => boolean): Store {
  const memory = createMemoryStore()
  return {
    ...memory,
    durable: true,
    jobs: {
      list: (id) => memory.jobs.list(id),
      save: async (id, jobs) => {
        if (failing(jobs[0]!.nodeKey)) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' })
        return memory.jobs.save(id, jobs)
      },
    },
  }
}

function captureLogger(): Logger & { lines: Array<{ level: string; message: string; fields: LogFields }> } {
  const lines: Array<{ level: string; message: string; fields: LogFields }> = []
  const at = (level: string) => (fields: LogFields, message: string) => void lines.push({ level, message, fields })
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), isLevelEnabled: () => true }
}

describe('a store failure under a run', () => {
  it('leaves the execution to be resumed after its last saved job, never error', async () => {
    const runs: string[] = []
    let failures = 1
    const store = flakyStore((key) => key === 'two' && failures-- > 0)
    const engine = createEngine({ store, queue: createPollingQueue(store.executions, { pollIntervalMs: 20 }), nodeTypes: [stepNode(runs)], logger: false })
    engine.on('error', () => undefined)
    engine.register(steps)
    await engine.start()
    const { id } = await engine.trigger('steps')
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 10_000 }).toBe('resolved')
    const execution = (await engine.getExecution(id))!
    expect(execution.attempts).toBe(2)
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['one', 'resolved'], ['two', 'resolved'], ['three', 'resolved']])
    // The node whose job could not be saved ran again; the one before it did not.
    expect(runs.map((run) => run.split(' ')[1])).toEqual(['one', 'two', 'two', 'three'])
    await engine.close()
  })

  it('answers a sync delivery 503 when the store fails before its answer, and a worker finishes the run', async () => {
    const runs: string[] = []
    let failures = 1
    const store = flakyStore((key) => key === 'one' && failures-- > 0)
    const engine = createEngine({ store, queue: createPollingQueue(store.executions, { pollIntervalMs: 20 }), nodeTypes: [stepNode(runs)], logger: false })
    engine.on('error', () => undefined)
    engine.register({ ...steps, key: 'sync', sync: true, trigger: { type: 'webhook', id: 'sync' } } as Parameters<typeof engine.register>[0])
    await engine.start()
    const workflow = engine.getWorkflow('sync')!
    const dispatch = await engine.dispatch(workflow, { headers: {}, query: {}, body: {}, params: {} })
    expect(await dispatch.settled).toMatchObject({ kind: 'unavailable' })
    await expect.poll(async () => (await engine.getExecution(dispatch.execution.id))?.status, { timeout: 10_000 }).toBe('resolved')
    await engine.close()
  })

  it('stops a run whose claim another worker took over, storing nothing of it', async () => {
    const filename = join(dir, 'lost.db')
    const store = createSqliteStore({ filename })
    let signalled = false
    const blocked = defineNode({
      type: 'test.block',
      run: ({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => ((signalled = true), resolve('stopped')))),
    })
    const engine = createEngine({ store, nodeTypes: [blocked], leaseMs: 90, logger: false })
    engine.register({ key: 'block', trigger: { type: 'webhook', id: 'block' }, nodes: [{ key: 'block', type: 'test.block' }] })
    await engine.start()
    const { id } = await engine.trigger('block')
    await expect.poll(async () => (await store.executions.get(id))?.status).toBe('started')
    // Another worker takes it over (as if this one had been cut off longer than its lease).
    await store.executions.update(id, { status: 'queued' })
    expect(await store.executions.claim(id, { owner: 'another-worker', leaseMs: 60_000, now: Date.now() })).toBeDefined()
    await expect.poll(() => signalled, { timeout: 5000 }).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await store.executions.get(id)).toMatchObject({ status: 'started', finishedAt: null })
    expect(await store.jobs.list(id)).toEqual([])
    await engine.close()
  })
})

describe('bounded start and close', () => {
  it('resolves start() after startTimeoutMs when the queue never starts, logging the outage once', async () => {
    const logger = captureLogger()
    const queue: Queue = { start: () => new Promise(() => undefined), enqueue: async () => undefined, idle: async () => undefined, close: async () => undefined }
    const engine = createEngine({ queue, startTimeoutMs: 200, logger })
    const began = Date.now()
    await engine.start()
    expect(Date.now() - began).toBeGreaterThanOrEqual(190)
    expect(Date.now() - began).toBeLessThan(2000)
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      expect.stringMatching(/^queue unavailable, retrying until it answers .*did not start within 200 ms/),
    ])
    await engine.close()
  })

  it('returns from close() within closeTimeoutMs while a node runs on, giving its claim back for the next start', async () => {
    const filename = join(dir, 'close.db')
    const runs: string[] = []
    const stuck = defineNode({ type: 'test.stuck', run: () => (runs.push('stuck'), new Promise(() => undefined)) })
    const first = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [stuck, stepNode(runs)], closeTimeoutMs: 500, logger: false })
    const definition: WorkflowDefinition = { key: 'stuck', trigger: { type: 'webhook', id: 'stuck' }, nodes: [{ key: 'first', type: 'test.step' }, { key: 'stuck', type: 'test.stuck' }] }
    first.register(definition)
    await first.start()
    const { id } = await first.trigger('stuck')
    await expect.poll(() => runs).toContain('stuck')
    const began = Date.now()
    await first.close()
    expect(Date.now() - began).toBeLessThan(1500)
    const store = createSqliteStore({ filename })
    // Given back: queued again, claimable now, not after a lease.
    expect(await store.executions.get(id)).toMatchObject({ status: 'queued', attempts: 1 })
    expect(await store.executions.claimable({ now: Date.now(), limit: 10 })).toEqual([id])
    await store.close()
  })

  it('keeps a started engine\'s process alive with a timer of its own until close()', async () => {
    const engine = createEngine({ logger: false })
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length
    const before = timers()
    await engine.start()
    expect(timers()).toBe(before + 1)
    await engine.close()
    expect(timers()).toBe(before)
  })
})

describe('outages in the log', () => {
  it('writes one line when the store becomes unavailable and one when it answers again, whatever fails between', async () => {
    const logger = captureLogger()
    let down = true
    const memory = createMemoryStore()
    const store: Store = {
      ...memory,
      executions: {
        ...memory.executions,
        claimable: async (query) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : memory.executions.claimable(query)),
        claimNext: async (query) => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : memory.executions.claimNext!(query)),
      },
    }
    const queue = createPollingQueue(store.executions, { pollIntervalMs: 10 })
    const engine = createEngine({ store, queue, logger, takeoverIntervalMs: 10 })
    await engine.start()
    await new Promise((resolve) => setTimeout(resolve, 300))
    down = false
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS + 5200))
    const outage = logger.lines.filter((line) => line.level === 'error' || (line.level === 'warn' && line.message.includes('available again')))
    expect(outage.map((line) => line.level)).toEqual(['error', 'warn'])
    expect(outage[0]!.message).toMatch(/^store unavailable, retrying until it answers \(one line per outage\): The queue could not look for work: connect ECONNREFUSED/)
    expect(outage[1]!.message).toMatch(/^store available again after \d+\.\d s/)
    expect(outage[1]!.fields).toMatchObject({ source: 'store' })
    await engine.close()
  }, 15_000)
})

describe('a queue that refuses to start', () => {
  it('rejects start() with its error, and the engine holds the process no longer', async () => {
    const queue: Queue = { start: async () => Promise.reject(new TypeError('bad queue options')), enqueue: async () => undefined, idle: async () => undefined, close: async () => undefined }
    const engine = createEngine({ queue, logger: false })
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length
    const before = timers()
    await expect(engine.start()).rejects.toThrow('bad queue options')
    expect(timers()).toBe(before)
    await engine.close()
  })
})
