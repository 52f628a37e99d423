import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { finalExecution, type InspectorApp, serveInspector } from '../helpers/inspector.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// Every route of the inspector's JSON API, over a real socket, on each store.

const postgres = await postgresService()
const dir = mkdtempSync(join(tmpdir(), 'hookflow-inspector-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stores: Array<[string, (() => Promise<Store>) | undefined]> = [
  ['memory', async () => (await import('../../src/index.js')).createMemoryStore()],
  ['SQLite', async () => createSqliteStore({ filename: join(dir, `${randomUUID()}.db`) })],
  [
    'Postgres',
    postgres
      ? async () => {
          const store = createPostgresStore({ pool: postgres.pool }, { schema: testSchema('inspector') })
          await store.migrate()
          return store
        }
      : undefined,
  ],
]

const API = '/hookflow/api'

async function delivered(app: InspectorApp, id: string, body: unknown): Promise<string> {
  const response = await app.deliver(id, body)
  expect(response.ok, `delivery to ${id}`).toBe(true)
  return response.headers.get('x-execution-id')!
}

describe.each(stores)('the inspector API on the %s store', (_name, makeStore) => {
  const open = async (): Promise<InspectorApp> => serveInspector({ store: await makeStore!() })

  describe.skipIf(!makeStore)('routes', { timeout: 30_000 }, () => {
    it('lists workflows with mode, state, URL, declared variables, nodes and counts of the last 24 hours', async () => {
      const app = await open()
      const id = await delivered(app, 'orders', { amount: 500 })
      await finalExecution(app, id)
      const response = await app.get(`${API}/workflows`)
      expect(response.status).toBe(200)
      const { items, countsSince } = (await response.json()) as { items: any[]; countsSince: number }
      expect(items.map((workflow) => workflow.key)).toEqual(['echo', 'flaky', 'orders', 'slow'])
      const orders = items.find((workflow) => workflow.key === 'orders')
      expect(orders).toMatchObject({
        title: 'Orders',
        sync: false,
        enabled: true,
        methods: ['POST'],
        url: `${app.url}/api/webhook:trigger/orders`,
        variables: [{ source: 'body', key: 'amount', alias: 'Amount', template: '{{$context.body.amount}}' }],
        counts: { resolved: 1, failed: 0, error: 0, queued: 0, started: 0, aborted: 0 },
      })
      expect(orders.nodes[0]).toMatchObject({ key: 'big', type: 'condition', branches: { true: [{ key: 'note', type: 'code' }] } })
      expect(items.find((workflow) => workflow.key === 'echo')).toMatchObject({ sync: true, counts: { resolved: 0 } })
      expect(Date.now() - countsSince).toBeGreaterThanOrEqual(24 * 3600_000)
    })

    it('lists executions newest first, filtered by workflow and status, and pages through them with nextCursor', async () => {
      const app = await open()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.unshift(await delivered(app, 'orders', { amount: i }))
      await delivered(app, 'echo', { name: 'x' })
      await app.engine.idle()
      const first = (await (await app.get(`${API}/executions?workflow=orders&status=resolved&limit=2`)).json()) as any
      expect(first.items.map((item: any) => item.id)).toEqual(ids.slice(0, 2))
      expect(first.items[0]).toMatchObject({ workflowKey: 'orders', status: 'resolved', replayOf: null })
      expect(first.items[0]).not.toHaveProperty('context')
      const second = (await (await app.get(`${API}/executions?workflow=orders&status=resolved&limit=2&cursor=${first.nextCursor}`)).json()) as any
      expect(second.items.map((item: any) => item.id)).toEqual(ids.slice(2, 4))
      const last = (await (await app.get(`${API}/executions?workflow=orders&status=resolved&limit=2&cursor=${second.nextCursor}`)).json()) as any
      expect(last).toEqual({ items: [expect.objectContaining({ id: ids[4] })], nextCursor: null })
      const failed = (await (await app.get(`${API}/executions?workflow=orders&status=failed`)).json()) as any
      expect(failed).toEqual({ items: [], nextCursor: null })
      const all = (await (await app.get(`${API}/executions`)).json()) as any
      expect(all.items).toHaveLength(6)
    })

    it('lists only executions created since a time, given in epoch ms or ISO 8601', async () => {
      const app = await open()
      await delivered(app, 'orders', { amount: 1 })
      await app.engine.idle()
      const later = Date.now() + 60_000
      for (const since of [String(later), new Date(later).toISOString()]) {
        expect(((await (await app.get(`${API}/executions?since=${encodeURIComponent(since)}`)).json()) as any).items).toEqual([])
      }
      expect(((await (await app.get(`${API}/executions?since=${Date.now() - 60_000}`)).json()) as any).items).toHaveLength(1)
    })

    it('answers 400 for a status, limit, since or cursor it cannot use', async () => {
      const app = await open()
      for (const query of ['status=done', 'limit=0', 'limit=500', 'since=yesterday', 'cursor=nope']) {
        const response = await app.get(`${API}/executions?${query}`)
        expect(response.status, query).toBe(400)
        expect(((await response.json()) as any).error.code).toMatch(/^bad_/)
      }
    })

    it('gives one execution with its context and jobs, the branch each node took included', async () => {
      const app = await open()
      const id = await delivered(app, 'orders', { amount: 500, note: '<b>hi</b>' })
      await app.engine.idle()
      const response = await app.get(`${API}/executions/${id}`)
      expect(response.status).toBe(200)
      const execution = (await response.json()) as any
      expect(execution).toMatchObject({ id, workflowKey: 'orders', status: 'resolved', context: { body: { amount: 500, note: '<b>hi</b>' } } })
      expect(execution.jobs.map((job: any) => [job.nodeKey, job.status, job.flow?.branch])).toEqual([
        ['big', 'resolved', 'true'],
        ['note', 'resolved', undefined],
      ])
      expect(execution.jobs[1].result).toEqual({ noted: 500 })
    })

    it('retries a failed execution, which then resolves, keeping its resolved jobs', async () => {
      const app = await open()
      const id = await delivered(app, 'flaky', {})
      expect((await finalExecution(app, id)).status).toBe('error')
      const response = await app.post(`${API}/executions/${id}/retry`)
      expect(response.status).toBe(202)
      expect(((await response.json()) as any).execution).toMatchObject({ id, status: 'queued' })
      const retried = await finalExecution(app, id)
      expect(retried.status).toBe('resolved')
      expect(retried.jobs.at(-1)).toMatchObject({ nodeKey: 'shaky', status: 'resolved', result: { ok: true, calls: 2 } })
    })

    it('cancels a queued execution, and answers 409 for one that is already final', async () => {
      const app = await open()
      const id = await delivered(app, 'slow', {})
      const response = await app.post(`${API}/executions/${id}/cancel`)
      expect(response.status).toBe(202)
      const canceled = await finalExecution(app, id)
      expect(canceled).toMatchObject({ status: 'aborted', reason: 'canceled' })
      const again = await app.post(`${API}/executions/${id}/cancel`)
      expect(again.status).toBe(409)
      expect(((await again.json()) as any).error.code).toBe('not_cancelable')
    })

    it('replays an execution as a new one from the same context, marked as its replay', async () => {
      const app = await open()
      const id = await delivered(app, 'orders', { amount: 250 })
      await app.engine.idle()
      const response = await app.post(`${API}/executions/${id}/replay`)
      expect(response.status).toBe(201)
      const { execution } = (await response.json()) as any
      expect(execution.id).not.toBe(id)
      expect(execution.replayOf).toBe(id)
      const replay = await finalExecution(app, execution.id)
      expect(replay).toMatchObject({ status: 'resolved', replayOf: id, context: { body: { amount: 250 } } })
      expect(replay.jobs.map((job: any) => job.nodeKey)).toEqual(['big', 'note'])
      const listed = (await (await app.get(`${API}/executions?workflow=orders`)).json()) as any
      expect(listed.items.map((item: any) => [item.id, item.replayOf])).toEqual([[execution.id, id], [id, null]])
    })

    it('replays a sync execution: the replay runs at once and records the same response', async () => {
      const app = await open()
      const first = await app.deliver('echo', { name: 'Ada' })
      const id = first.headers.get('x-execution-id')!
      await app.engine.idle()
      const response = await app.post(`${API}/executions/${id}/replay`)
      expect(response.status).toBe(201)
      const { execution } = (await response.json()) as any
      const replay = await finalExecution(app, execution.id)
      expect(replay).toMatchObject({ status: 'resolved', sync: true, replayOf: id, response: { statusCode: 201, body: { got: 'Ada' } } })
    })

    it('sends a test delivery through the trigger and answers what the sender would have received', async () => {
      const app = await open()
      const response = await app.post(`${API}/workflows/echo/deliveries`, {
        headers: { 'x-source': 'inspector' },
        query: { page: '2' },
        body: { name: 'Ada' },
      })
      expect(response.status).toBe(200)
      const answer = (await response.json()) as any
      expect(answer).toMatchObject({ status: 201, body: JSON.stringify({ got: 'Ada' }) })
      expect(answer.headers).toContainEqual(['x-echo', 'Ada'])
      const execution = await finalExecution(app, answer.executionId)
      expect(execution.context).toMatchObject({ headers: { 'x-source': 'inspector' }, query: { page: '2' }, body: { name: 'Ada' } })
    })

    it('answers a test delivery with the trigger\'s own refusal when the body is not what the trigger accepts', async () => {
      const app = await open()
      const response = await app.post(`${API}/workflows/orders/deliveries`, { body: '{not json' })
      const answer = (await response.json()) as any
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.body).error.code).toBe('invalid_json')
      expect(answer.executionId).toBeNull()
    })

    it('gives the variable paths of a pasted JSON body or URL', async () => {
      const app = await open()
      const body = (await (await app.post(`${API}/sample-paths`, { sample: '{"a":1,"b":{"c":2}}' })).json()) as any
      expect(body).toEqual({ source: 'body', paths: ['a', 'b', 'b.c'], templates: ['{{$context.body.a}}', '{{$context.body.b}}', '{{$context.body.b.c}}'] })
      const query = (await (await app.post(`${API}/sample-paths`, { sample: 'http://localhost/x?query[0][a]=1' })).json()) as any
      expect(query).toMatchObject({ source: 'query', paths: ['query', 'query[0]', 'query[0].a'] })
    })

    it('answers 404 for an unknown execution id, on reads and on every action', async () => {
      const app = await open()
      expect((await app.get(`${API}/executions/no-such-id`)).status).toBe(404)
      for (const action of ['retry', 'cancel', 'replay']) {
        const response = await app.post(`${API}/executions/no-such-id/${action}`)
        expect(response.status, action).toBe(404)
        expect(((await response.json()) as any).error.code).toBe('execution_not_found')
      }
      expect((await app.post(`${API}/workflows/nope/deliveries`, {})).status).toBe(404)
    })

    it('answers 409 to a retry of a resolved execution', async () => {
      const app = await open()
      const id = await delivered(app, 'orders', { amount: 1 })
      expect((await finalExecution(app, id)).status).toBe('resolved')
      const response = await app.post(`${API}/executions/${id}/retry`)
      expect(response.status).toBe(409)
      expect(((await response.json()) as any).error.code).toBe('not_retryable')
    })
  })
})
