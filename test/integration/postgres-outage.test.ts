import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine, WebhookTrigger } from '../../src/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { tcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js'
import { kill, outageLines, runsOf, spawnNode, until } from '../helpers/outage-nodes.js'
import { nodeTypes, workflow } from './outage/workflow.mjs'

// Postgres taken away from a worker process through a TCP proxy this file owns (refusing,
// resetting every connection, or accepting and never answering); the machine's Postgres is
// never touched. Deliveries are accepted by a receiver in this process, straight on Postgres,
// so every one of them is acknowledged; the worker must run each of them once after the
// outage, log the outage once and its end once, and never end a run `error` for it.

const postgres = await postgresService()
const DELIVERIES = 30

describe.runIf(postgres)('a Postgres outage', { timeout: 90_000 }, () => {
  const schema = testSchema('outage')
  let dir: string | undefined
  let LOG: string
  let proxy: TcpProxy
  let receiver: Engine
  let trigger: WebhookTrigger

  beforeAll(async () => {
    await createPostgresStore({ pool: postgres!.pool }, { schema }).migrate()
    proxy = await tcpProxy(Number(new URL(postgres!.url).port || 5432))
  })
  afterAll(() => receiver?.close())

  afterEach(async () => {
    await receiver?.close()
    await proxy.set('pass')
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function setup(): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-pg-outage-'))
    LOG = join(dir, 'runs.log')
    await postgres!.pool.query(`TRUNCATE "${schema}".executions, "${schema}".jobs`)
    receiver = createEngine({ store: createPostgresStore({ pool: postgres!.pool }, { schema }), worker: false, nodeTypes: nodeTypes(LOG), logger: false })
    receiver.register(workflow('plain'))
    trigger = new WebhookTrigger({ engine: receiver })
  }

  async function deliverAll(count: number): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      const answer = await trigger.fetch(new Request('http://hooks.test/api/webhook:trigger/crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delivery: `d${i}` }) }))
      expect(answer.status).toBe(200)
      ids.push(answer.headers.get('x-execution-id')!)
    }
    return ids
  }

  const statuses = async (): Promise<Map<string, string>> => {
    const { rows } = await postgres!.pool.query<{ id: string; status: string }>(`SELECT id, status FROM "${schema}".executions`)
    return new Map(rows.map((row) => [row.id, row.status]))
  }
  const resolved = async (ids: string[]): Promise<boolean> => {
    const all = await statuses()
    return ids.every((id) => all.get(id) === 'resolved')
  }

  function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ROLE: 'worker',
      STORE: 'postgres',
      PG_URL: proxy.url(postgres!.url),
      SCHEMA: schema,
      LOG,
      STORE_OPTIONS: JSON.stringify({ connectTimeoutMs: 1000, statementTimeoutMs: 2000 }),
      ...extra,
    }
  }

  /** Each node of each execution ran once, or (`repeats`) the one running when the connections broke ran twice. */
  function expectRunsOnce(ids: string[], repeats = false): number {
    const runs = runsOf(LOG)
    let repeated = 0
    for (const id of ids) {
      const keys = (runs.get(id) ?? []).map((run) => run.key)
      expect([...new Set(keys)], id).toEqual(['one', 'two', 'three'])
      repeated += keys.length - 3
      expect(keys.length - 3, `${id} ran ${keys.join(', ')}`).toBeLessThanOrEqual(repeats ? 1 : 0)
    }
    return repeated
  }

  it('lets a worker started while Postgres refuses connections wait, then run every acknowledged delivery once', async () => {
    await setup()
    await proxy.set('refuse')
    const began = Date.now()
    const worker = await spawnNode(workerEnv({ ENGINE: JSON.stringify({ startTimeoutMs: 3000 }) }))
    const startMs = Date.now() - began
    const ids = await deliverAll(DELIVERIES)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    // Still there, waiting: it did not exit by itself.
    expect(worker.child.exitCode).toBeNull()
    expect(outageLines(worker).started).toHaveLength(1)
    // The line names the store, the server and the schema.
    expect(outageLines(worker).started[0]).toMatch(/store unavailable/)
    expect(outageLines(worker).started[0]).toContain(`Postgres at 127.0.0.1:${proxy.port}/`)
    expect(outageLines(worker).started[0]).toContain(`schema "${schema}"`)
    expect(outageLines(worker).ended).toHaveLength(0)
    const back = Date.now()
    await proxy.set('pass')
    await until(() => resolved(ids), 30_000, 'every delivery resolved')
    console.log(`postgres refused at a worker's start: start() resolved in ${startMs} ms, all ${DELIVERIES} runs done ${Date.now() - back} ms after Postgres came back`)
    expectRunsOnce(ids)
    await until(() => outageLines(worker).ended.length > 0, 5000, 'the end of the outage in the log')
    expect(outageLines(worker).started).toHaveLength(1)
    expect(outageLines(worker).ended).toHaveLength(1)
    await kill(worker)
  })

  it('ends no execution error when every connection is reset mid-run, and runs each delivery to its end', async () => {
    await setup()
    const worker = await spawnNode(workerEnv({ STEP_MS: '40' }))
    const ids = await deliverAll(DELIVERIES)
    await until(async () => [...(await statuses()).values()].filter((status) => status === 'resolved').length >= 4, 20_000, 'some runs done')
    await proxy.set('reset')
    await proxy.set('pass')
    await until(() => resolved(ids), 30_000, 'every delivery resolved').catch(async (error) => {
      console.log(JSON.stringify((await postgres!.pool.query(`SELECT id, status, attempts, owner, wake_at, lease_until FROM "${schema}".executions WHERE status <> 'resolved'`)).rows), Date.now())
      throw error
    })
    const all = await statuses()
    expect([...all.values()].filter((status) => status !== 'resolved')).toEqual([])
    const repeated = expectRunsOnce(ids, true)
    console.log(`postgres connections reset mid-run: ${DELIVERIES} resolved, none error, ${repeated} node runs repeated (cut off before their job was saved)`)
    await until(() => outageLines(worker).ended.length > 0, 10_000, 'the end of the outage in the log')
    expect(outageLines(worker).started).toHaveLength(1)
    expect(outageLines(worker).ended).toHaveLength(1)
    // Not a process warning per failed connection.
    expect(worker.errors.filter((line) => /^\(node:\d+\)|Warning/.test(line))).toEqual([])
    await kill(worker)
  })

  it('lives through 3 s of refused connections mid-run and runs every acknowledged delivery to its end', async () => {
    await setup()
    const worker = await spawnNode(workerEnv({ STEP_MS: '40' }))
    const ids = await deliverAll(DELIVERIES)
    await until(async () => [...(await statuses()).values()].filter((status) => status === 'resolved').length >= 4, 20_000, 'some runs done')
    await proxy.set('refuse')
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(worker.child.exitCode).toBeNull()
    await proxy.set('pass')
    await until(() => resolved(ids), 30_000, 'every delivery resolved')
    expect([...(await statuses()).values()].filter((status) => status !== 'resolved')).toEqual([])
    expectRunsOnce(ids, true)
    await until(() => outageLines(worker).ended.length > 0, 10_000, 'the end of the outage in the log')
    expect(outageLines(worker).started).toHaveLength(1)
    expect(outageLines(worker).ended).toHaveLength(1)
    await kill(worker)
  })

  it('answers 503 with Retry-After within the statement deadline when Postgres accepts and never answers, and closes in time', async () => {
    await setup()
    const statementTimeoutMs = 1000
    const store = createPostgresStore({ connectionString: proxy.url(postgres!.url), connectTimeoutMs: 1000, statementTimeoutMs }, { schema })
    const engine = createEngine({ store, worker: false, nodeTypes: nodeTypes(LOG), logger: false, closeTimeoutMs: 2000 })
    engine.register(workflow('plain'))
    const hooks = new WebhookTrigger({ engine })
    const post = (): Promise<Response> =>
      hooks.fetch(new Request('http://hooks.test/api/webhook:trigger/crash', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect((await post()).status).toBe(200)
    await proxy.set('blackhole')
    for (let i = 0; i < 2; i++) {
      const began = Date.now()
      const answer = await post()
      const ms = Date.now() - began
      expect(answer.status).toBe(503)
      expect(answer.headers.get('retry-after')).toBe('5')
      // The documented bound: statementTimeoutMs + 1 s on a pooled connection, connectTimeoutMs on a new one.
      expect(ms).toBeLessThan(statementTimeoutMs + 1000 + 1500)
    }
    const began = Date.now()
    await engine.close()
    expect(Date.now() - began).toBeLessThan(2000 + 1000)
  })

  it('lets a process whose Postgres went silent stop on SIGTERM within its close deadline', async () => {
    await setup()
    const node = await spawnNode({ ...workerEnv({ ENGINE: JSON.stringify({ closeTimeoutMs: 2000 }) }), ROLE: 'both' })
    await node.ready
    const response = await fetch(node.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(response.status).toBe(200)
    await proxy.set('blackhole')
    const began = Date.now()
    node.child.kill('SIGTERM')
    expect(await node.exited).toBe(0)
    // close() within its deadline, then the process ends by itself: no socket left open.
    expect(Date.now() - began).toBeLessThan(2000 + 3000)
  })

  it('fails migrate() against a black hole within its deadlines, naming the server and the schema', async () => {
    await proxy.set('blackhole')
    const store = createPostgresStore({ connectionString: proxy.url(postgres!.url), connectTimeoutMs: 1000, statementTimeoutMs: 1000 }, { schema })
    const began = Date.now()
    const error = await store.migrate().then(() => undefined, (error: unknown) => error as Error)
    expect(Date.now() - began).toBeLessThan(3000)
    expect(error?.message).toContain(`127.0.0.1:${proxy.port}`)
    expect(error?.message).toContain(`schema "${schema}"`)
    const closing = Date.now()
    await store.close()
    expect(Date.now() - closing).toBeLessThan(3500)
  })

  it('fails migrate() against a refused port with a message naming the store, the server and the schema', async () => {
    await proxy.set('refuse')
    const store = createPostgresStore({ connectionString: proxy.url(postgres!.url) }, { schema })
    const error = await store.migrate().then(() => undefined, (error: unknown) => error as Error)
    expect(error).toMatchObject({ code: 'postgres_query_failed', schema, server: `127.0.0.1:${proxy.port}/${new URL(postgres!.url).pathname.slice(1)}` })
    expect(error?.message).toMatch(new RegExp(`Postgres at 127\\.0\\.0\\.1:${proxy.port}/\\w+, schema "${schema}".*could not be migrated.*ECONNREFUSED`))
    await store.close()
  })
})
