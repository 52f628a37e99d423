import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, defineNode, type Engine, type ExecutionRecord, WebhookTrigger } from '../../src/index.js'
import { createPostgresStore, type PostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { crashNodeTypes, crashWorkflow } from './crash/postgres-crash-workflow.js'

// Engines on the real Postgres: webhooks end to end through `trigger.fetch`, and a receiver
// killed with SIGKILL after acknowledging deliveries, whose work another engine takes over.

const postgres = await postgresService()
const SERVER = new URL('./crash/postgres-crash-server.ts', import.meta.url).pathname

const post = (path: string, body: unknown, headers: Record<string, string> = {}): Request =>
  new Request(`http://localhost/api/webhook:trigger/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe.skipIf(!postgres)('engines on the Postgres store', { timeout: 60_000 }, () => {
  const service = postgres!
  const schema = testSchema('engine')
  const engines: Engine[] = []
  beforeAll(async () => {
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    await store.close()
  })
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()))
  })

  const score = defineNode({ type: 'test.score', run: ({ config }) => ({ score: (config as { n: number }).n * 2 }) })

  function engineOn(store: PostgresStore = createPostgresStore({ connectionString: service.url, max: 4 }, { schema })): { engine: Engine; trigger: WebhookTrigger } {
    const engine = createEngine({ store, nodeTypes: [score] })
    engines.push(engine)
    engine.register({
      key: `async-${engines.length}`,
      trigger: { type: 'webhook', id: `async-${engines.length}` },
      nodes: [{ key: 'score', type: 'test.score', config: { n: '{{$context.body.n}}' } }],
    })
    engine.register({
      key: `sync-${engines.length}`,
      sync: true,
      trigger: { type: 'webhook', id: `sync-${engines.length}` },
      nodes: [
        { key: 'score', type: 'test.score', config: { n: '{{$context.body.n}}' } },
        { key: 'answer', type: 'response', config: { statusCode: 201, body: { score: '{{$jobsMapByNodeKey.score.score}}' } } },
      ],
    })
    return { engine, trigger: new WebhookTrigger({ engine }) }
  }

  it('answers an async delivery once stored, and runs it to the end on the queue of the store', async () => {
    const { engine, trigger } = engineOn()
    const answer = await trigger.fetch(post(`async-${engines.length}`, { n: 21 }))
    expect(answer.status).toBe(200)
    expect(await answer.text()).toBe('ok')
    const id = answer.headers.get('x-execution-id')!
    const { rows } = await service.pool.query(`SELECT status FROM "${schema}".executions WHERE id = $1`, [id])
    expect(rows).toHaveLength(1)
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution).toMatchObject({ status: 'resolved', attempts: 1, context: { body: { n: 21 } } })
    expect(execution!.jobs).toMatchObject([{ nodeKey: 'score', status: 'resolved', result: { score: 42 } }])
  })

  it('answers a sync delivery with its Response node and stores the finished run', async () => {
    const { engine, trigger } = engineOn()
    const answer = await trigger.fetch(post(`sync-${engines.length}`, { n: 5 }))
    expect(answer.status).toBe(201)
    expect(await answer.json()).toEqual({ score: 10 })
    await engine.idle()
    const execution = await engine.getExecution(answer.headers.get('x-execution-id')!)
    expect(execution).toMatchObject({ status: 'resolved', sync: true, response: { statusCode: 201 } })
    expect(execution!.jobs.map((job) => job.nodeKey)).toEqual(['score', 'answer'])
  })

  it('runs one execution for a delivery triggered twice with one event key', async () => {
    const { engine } = engineOn()
    const key = `async-${engines.length}`
    const eventKey = `once-${Date.now()}-${Math.random()}`
    const [first, second] = await Promise.all([engine.trigger(key, { body: { n: 1 } }, { eventKey }), engine.trigger(key, { body: { n: 1 } }, { eventKey })])
    expect(second!.id).toBe(first!.id)
    await engine.idle()
    expect(await engine.getExecution(first!.id)).toMatchObject({ status: 'resolved' })
  })

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const url = new URL(service.url)
    url.port = '1'
    const { trigger } = engineOn(createPostgresStore({ connectionString: url.toString() }, { schema }))
    const answer = await trigger.fetch(post(`async-${engines.length}`, { n: 1 }))
    expect(answer.status).toBe(503)
    expect(answer.headers.get('retry-after')).toBeTruthy()
    expect(await answer.json()).toMatchObject({ error: { code: 'storage_unavailable' } })
  })

  it('answers 503 when the schema was never migrated', async () => {
    const bare = testSchema('bare')
    const { trigger } = engineOn(createPostgresStore({ connectionString: service.url, max: 2 }, { schema: bare }))
    const answer = await trigger.fetch(post(`async-${engines.length}`, { n: 1 }))
    expect(answer.status).toBe(503)
  })

  describe('after a receiver is killed', () => {
    let dir: string
    const children: ChildProcess[] = []
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hookflow-pg-crash-'))
    })
    afterAll(() => {
      for (const child of children) child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    })

    async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
      children.push(child)
      const port = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the crash server exited with ${code}`)))
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const match = /^listening (\d+)$/.exec(line)
          if (match) resolve(match[1]!)
        })
      })
      return { child, url: `http://127.0.0.1:${port}` }
    }

    async function kill(child: ChildProcess): Promise<void> {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    }

    function runsOf(log: string): Map<string, string[]> {
      const runs = new Map<string, string[]>()
      if (!existsSync(log)) return runs
      for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
        const [id = '', key = ''] = line.split(' ')
        runs.set(id, [...(runs.get(id) ?? []), key])
      }
      return runs
    }

    /** A second engine on the same database, as a restarted or other process would run. */
    async function takeOver(own: string, log: string, hold: string, layout: string): Promise<Engine> {
      const store = createPostgresStore({ connectionString: service.url, max: 4 }, { schema: own })
      const engine = createEngine({ store, nodeTypes: crashNodeTypes(log, hold), leaseMs: 1_000 })
      engines.push(engine)
      engine.register(crashWorkflow(layout))
      await engine.start()
      return engine
    }

    /** Waits (one query a round) until every id is resolved; then reads them with their jobs. */
    async function settled(engine: Engine, own: string, ids: string[]): Promise<ExecutionRecord[]> {
      const deadline = Date.now() + 60_000
      for (;;) {
        const { rows: [row] } = await service.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${own}".executions WHERE id = ANY($1) AND status = 'resolved'`,
          [ids],
        )
        if (row!.n === ids.length) break
        if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${ids.length} executions resolved`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return Promise.all(ids.map(async (id) => (await engine.getExecution(id))!))
    }

    it('runs every delivery a killed receiver acknowledged, once, on another engine started later', async () => {
      const own = testSchema('crash')
      const env = { PG_URL: service.url, SCHEMA: own, LOG: join(dir, 'held.log'), HOLD: join(dir, 'hold'), LAYOUT: 'hold' }
      writeFileSync(env.HOLD, '')
      const first = await startChild(env)
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => fetch(`${first.url}/api/webhook:trigger/crash`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })),
      )
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200))
      const ids = answers.map((answer) => answer.headers.get('x-execution-id')!)
      await kill(first.child)
      rmSync(env.HOLD)
      expect(runsOf(env.LOG).size).toBe(0)
      const engine = await takeOver(own, env.LOG, env.HOLD, env.LAYOUT)
      const all = await settled(engine, own, ids)
      for (const execution of all) expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['hold', 'one', 'two', 'three'])
      const runs = runsOf(env.LOG)
      for (const id of ids) expect(runs.get(id)).toEqual(['one', 'two', 'three'])
    })

    it('keeps every acknowledged delivery of a burst killed halfway, each stored once and run to the end', async () => {
      const own = testSchema('burst')
      const env = { PG_URL: service.url, SCHEMA: own, LOG: join(dir, 'burst.log'), HOLD: join(dir, 'none'), LAYOUT: 'plain' }
      const first = await startChild(env)
      const acknowledged = new Map<number, string>()
      let killed: Promise<void> | undefined
      await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          try {
            const answer = await fetch(`${first.url}/api/webhook:trigger/crash`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) })
            if (answer.status === 200) acknowledged.set(i, answer.headers.get('x-execution-id')!)
            if (acknowledged.size === 150) killed ??= kill(first.child)
          } catch {
            // Cut off by the kill: not acknowledged, a sender would retry.
          }
        }),
      )
      await killed
      expect(acknowledged.size).toBeGreaterThanOrEqual(150)
      const engine = await takeOver(own, env.LOG, env.HOLD, env.LAYOUT)
      await settled(engine, own, [...acknowledged.values()])
      const { rows } = await service.pool.query<{ i: number }>(`SELECT (context->'body'->>'i')::int AS i FROM "${own}".executions`)
      expect(new Set(rows.map((row) => row.i)).size).toBe(rows.length)
      const runs = runsOf(env.LOG)
      for (const id of acknowledged.values()) {
        const steps = runs.get(id) ?? []
        expect(new Set(steps)).toEqual(new Set(['one', 'two', 'three']))
        // A node cut off between its side effect and its saved job runs again on resume.
        expect(steps.length).toBeLessThanOrEqual(4)
      }
    })
  })
})
