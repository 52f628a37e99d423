import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine, WebhookTrigger } from '../../src/index.js'
import { createSqliteStore, type SqliteStore } from '../../src/storage/sqlite/index.js'
import { createBullmqQueue } from '../../src/queue/bullmq/index.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'
import { tcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'
import { kill, outageLines, runsOf, spawnNode, until } from '../helpers/outage-nodes.js'
import { nodeTypes, workflow } from './outage/workflow.mjs'

// Redis taken away through a TCP proxy this file owns (refusing, or accepting and never
// answering); the machine's Redis is never touched. The store is a SQLite file the processes
// share, so only the queue fails.

const redis = await redisAvailable('the Redis outage tests')
const prefix = testPrefix('redis-outage')
const names: string[] = []
const queueName = (): string => {
  names.push(`q${names.length + 1}`)
  return names.at(-1)!
}

describe.runIf(redis)('a Redis outage', { timeout: 60_000 }, () => {
  let proxy: TcpProxy
  let dir: string
  const engines: Engine[] = []
  beforeAll(async () => {
    proxy = await tcpProxy(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname || '127.0.0.1')
  })
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close()
    await proxy.set('pass')
    rmSync(dir, { recursive: true, force: true })
  })
  afterAll(async () => {
    for (const name of names) await obliterate(name, prefix)
  })

  function engineOn(store: SqliteStore, options: { worker: boolean; via: string; name: string; enqueueTimeoutMs?: number; startTimeoutMs?: number }): { engine: Engine; post: () => Promise<Response> } {
    const queue = createBullmqQueue({ connection: options.via, queueName: options.name, prefix, store: store.executions, enqueueTimeoutMs: options.enqueueTimeoutMs ?? 1000, onError: () => undefined })
    const engine = createEngine({ store, queue, worker: options.worker, nodeTypes: nodeTypes(join(dir, 'runs.log')), logger: false, closeTimeoutMs: 2000, startTimeoutMs: options.startTimeoutMs ?? 10_000 })
    engines.push(engine)
    engine.register(workflow('plain'))
    const trigger = new WebhookTrigger({ engine })
    const post = (): Promise<Response> =>
      trigger.fetch(new Request('http://hooks.test/api/webhook:trigger/crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
    return { engine, post }
  }

  function store(): SqliteStore {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-redis-outage-'))
    return createSqliteStore({ filename: join(dir, 'hookflow.db') })
  }

  it('answers 503 with Retry-After within enqueueTimeoutMs when Redis accepts and never answers, stores nothing, and closes in time', async () => {
    const { engine, post } = engineOn(store(), { worker: false, via: proxy.url(REDIS_URL), name: queueName() })
    expect((await post()).status).toBe(200)
    await proxy.set('blackhole')
    const began = Date.now()
    const answer = await post()
    const ms = Date.now() - began
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).toBe('5')
    expect(ms).toBeLessThan(1000 + 1500)
    // Not accepted, not kept: only the first delivery is stored.
    expect(await engine.listExecutions()).toHaveLength(1)
    const closing = Date.now()
    await engine.close()
    expect(Date.now() - closing).toBeLessThan(2000 + 1000)
  })

  it('answers 503 within enqueueTimeoutMs when Redis refuses connections from the start, and a worker\'s start() resolves within startTimeoutMs', async () => {
    await proxy.set('refuse')
    const shared = store()
    const { post } = engineOn(shared, { worker: false, via: proxy.url(REDIS_URL), name: queueName() })
    const began = Date.now()
    const answer = await post()
    expect(answer.status).toBe(503)
    expect(Date.now() - began).toBeLessThan(1000 + 1500)
    const worker = engineOn(shared, { worker: true, via: proxy.url(REDIS_URL), name: queueName(), startTimeoutMs: 1500 })
    const starting = Date.now()
    await worker.engine.start()
    expect(Date.now() - starting).toBeLessThan(1500 + 1500)
    const closing = Date.now()
    await worker.engine.close()
    expect(Date.now() - closing).toBeLessThan(2000 + 1000)
  })

  it('lets a BullMQ worker live through 3 s of refused Redis connections and run every acknowledged delivery once', async () => {
    const shared = store()
    const name = queueName()
    const LOG = join(dir, 'runs.log')
    // The receiver reaches Redis directly, so every delivery is acknowledged; the worker through the proxy.
    const receiver = engineOn(shared, { worker: false, via: REDIS_URL, name })
    const worker = await spawnNode({
      ROLE: 'worker',
      STORE: 'sqlite',
      DB: shared.filename,
      QUEUE: 'bullmq',
      REDIS_URL: proxy.url(REDIS_URL),
      QUEUE_NAME: name,
      PREFIX: prefix,
      LOG,
      STEP_MS: '20',
      QUEUE_OPTIONS: JSON.stringify({ sweepIntervalMs: 1000, lockDurationMs: 5000, stalledIntervalMs: 1000 }),
    })
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push((await receiver.post()).headers.get('x-execution-id')!)
    await until(async () => (await receiver.engine.listExecutions({ status: 'resolved' })).length >= 3, 20_000, 'some runs done')
    await proxy.set('refuse')
    for (let i = 0; i < 20; i++) ids.push((await receiver.post()).headers.get('x-execution-id')!)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(worker.child.exitCode).toBeNull()
    await proxy.set('pass')
    await until(async () => (await receiver.engine.listExecutions({ status: 'resolved', limit: 1000 })).length === ids.length, 40_000, 'every delivery resolved')
    const runs = runsOf(LOG)
    for (const id of ids) expect(runs.get(id)?.map((run) => run.key), id).toEqual(['one', 'two', 'three'])
    await until(() => outageLines(worker).ended.length > 0, 10_000, 'the end of the outage in the log')
    expect(outageLines(worker).started).toHaveLength(1)
    expect(outageLines(worker).started[0]).toMatch(/queue unavailable/)
    expect(outageLines(worker).ended).toHaveLength(1)
    await kill(worker)
  })
})
