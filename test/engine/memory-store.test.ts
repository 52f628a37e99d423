import { describe, it, expect } from 'vitest'
import { createEngine, createMemoryStore, defineNode, WebhookTrigger } from '../../src/index.js'
import { withContextJson } from '../../src/engine/json-text.js'
import type { NewExecution } from '../../src/index.js'
import { gate, runToEnd, turns, workflow } from './helpers.js'

function newExecution(id: string, status: NewExecution['status']): NewExecution {
  return {
    id, workflowKey: 'w', eventKey: null, sync: false, status, reason: null,
    context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
    createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0,
  }
}

describe('memory store history', () => {
  it('keeps only the last maxFinished finished executions', async () => {
    const engine = createEngine({ store: createMemoryStore({ maxFinished: 5 }) })
    engine.register(workflow('empty'))
    const ids: string[] = []
    for (let i = 0; i < 8; i++) ids.push((await runToEnd(engine, 'empty')).id)
    expect((await engine.listExecutions()).map((execution) => execution.id)).toEqual(ids.slice(3).reverse())
  })

  it('forgets the oldest finished executions entirely', async () => {
    const engine = createEngine({ store: createMemoryStore({ maxFinished: 5 }) })
    engine.register(workflow('empty'))
    const first = await runToEnd(engine, 'empty')
    for (let i = 0; i < 5; i++) await runToEnd(engine, 'empty')
    expect(await engine.getExecution(first.id)).toBeUndefined()
  })

  it('keeps 10,000 finished executions by default', async () => {
    const engine = createEngine()
    engine.register(workflow('empty', [], { sync: true }))
    const first = await engine.trigger('empty')
    const second = await engine.trigger('empty')
    for (let i = 0; i < 9_999; i++) await engine.trigger('empty')
    await engine.idle()
    // 10,001 finished: only the first is gone.
    expect(await engine.getExecution(first.id)).toBeUndefined()
    expect(await engine.getExecution(second.id)).toBeDefined()
  })

  it('never evicts running or queued executions of the engine', async () => {
    const hold = gate()
    const engine = createEngine({
      store: createMemoryStore({ maxFinished: 1 }),
      concurrency: 1,
      nodeTypes: [defineNode({ type: 'test.hold', run: () => hold.promise })],
    })
    engine.register(workflow('hold', [{ key: 'h', type: 'test.hold' }]))
    engine.register(workflow('fast', [], { sync: true }))
    const running = await engine.trigger('hold')
    const queued = await engine.trigger('hold')
    await turns()
    for (let i = 0; i < 4; i++) await engine.trigger('fast')
    await turns()
    const statuses = [(await engine.getExecution(running.id))?.status, (await engine.getExecution(queued.id))?.status]
    hold.open()
    await engine.idle()
    expect(statuses).toEqual(['started', 'queued'])
  })

  it('never evicts a queued record however many finish after it', async () => {
    const store = createMemoryStore({ maxFinished: 2 })
    await store.executions.create(newExecution('waiting', 'queued'))
    for (let i = 0; i < 5; i++) await store.executions.create(newExecution(`done-${i}`, 'resolved'))
    expect((await store.executions.get('waiting'))?.status).toBe('queued')
    expect((await store.executions.list({ limit: 100 })).map((execution) => execution.id)).toEqual(['done-4', 'done-3', 'waiting'])
  })

  it('counts an execution against the bound once it finishes', async () => {
    const store = createMemoryStore({ maxFinished: 1 })
    await store.executions.create(newExecution('a', 'queued'))
    await store.executions.create(newExecution('b', 'resolved'))
    await store.executions.update('a', { status: 'resolved', finishedAt: Date.now() })
    expect(await store.executions.get('b')).toBeUndefined()
    expect(await store.executions.get('a')).toBeDefined()
  })

  it('refuses a negative or fractional maxFinished', () => {
    expect(() => createMemoryStore({ maxFinished: -1 })).toThrow(TypeError)
    expect(() => createMemoryStore({ maxFinished: 1.5 })).toThrow(TypeError)
  })
})

describe('memory store, finished executions kept as bytes', () => {
  const rich = { text: 'Grüße, 日本語, emoji 🎉, quote " and \\ and \u2028', n: [1, 2.5, -0.001, null, true] }
  const job = (index: number, result: unknown) => ({
    index, nodeKey: `n${index}`, type: 'x', status: 'resolved' as const, result, error: null, startedAt: 1, finishedAt: 2,
  })

  it('gives back a finished execution with its context, response and jobs as stored, in any script', async () => {
    const store = createMemoryStore()
    const record = { ...newExecution('a', 'started'), context: { headers: {}, query: {}, body: rich, params: {} } }
    await store.executions.create(record)
    await store.jobs.save('a', [job(0, rich), job(1, 'ok')])
    const response = { statusCode: 200, headers: [{ name: 'x-a', value: 'ü' }], body: rich }
    await store.executions.update('a', { status: 'resolved', response, finishedAt: 3 })
    const got = await store.executions.get('a')
    expect(got).toMatchObject({ status: 'resolved', response, finishedAt: 3, context: { body: rich } })
    expect(await store.jobs.list('a')).toEqual([job(0, rich), job(1, 'ok')])
    expect((await store.executions.list({ limit: 10 }))[0]?.context.body).toEqual(rich)
  })

  it('keeps thousands of finished executions intact across many slabs, large ones included', async () => {
    const store = createMemoryStore()
    const big = 'x'.repeat(200_000)
    for (let i = 0; i < 3_000; i++) {
      const body = i % 500 === 0 ? { big, i } : { i, rich }
      await store.executions.create({ ...newExecution(`e${i}`, 'started'), context: { headers: {}, query: {}, body, params: {} } })
      await store.jobs.save(`e${i}`, [job(0, i)])
      await store.executions.update(`e${i}`, { status: 'resolved', finishedAt: i })
    }
    for (const i of [0, 1, 499, 500, 1_234, 2_999]) {
      const got = await store.executions.get(`e${i}`)
      expect(got?.context.body).toEqual(i % 500 === 0 ? { big, i } : { i, rich })
      expect(await store.jobs.list(`e${i}`)).toEqual([job(0, i)])
    }
  })

  it('takes jobs and changes for an execution after it finished (a retry)', async () => {
    const store = createMemoryStore()
    await store.executions.create(newExecution('r', 'started'))
    await store.jobs.save('r', [job(0, 'first'), job(1, 'failed')])
    await store.executions.update('r', { status: 'error', error: { message: 'boom' }, finishedAt: 5 })
    await store.executions.update('r', { status: 'queued', error: null, finishedAt: null })
    await store.jobs.save('r', [job(1, 'second try')])
    await store.executions.update('r', { status: 'resolved', response: { statusCode: 201, headers: [], body: 'done' }, finishedAt: 9 })
    expect(await store.executions.get('r')).toMatchObject({ status: 'resolved', error: null, finishedAt: 9, response: { statusCode: 201, body: 'done' } })
    expect(await store.jobs.list('r')).toEqual([job(0, 'first'), job(1, 'second try')])
    await store.jobs.save('r', [job(2, 'late')])
    expect((await store.jobs.list('r')).map((j) => j.result)).toEqual(['first', 'second try', 'late'])
  })
})

describe('memory store: a webhook context handed to its run', () => {
  const carrying = (n: number) => withContextJson({ headers: { 'x-n': String(n) }, query: {}, body: { n }, params: {}, method: 'POST' }, `{"n":${n}}`)

  it('claims every queued execution with its context, past the number it hands over as they are', async () => {
    const store = createMemoryStore()
    const count = 1_500
    for (let i = 0; i < count; i++) await store.executions.create({ ...newExecution(`e${i}`, 'queued'), context: carrying(i) })
    const claim = { owner: 'w', leaseMs: 60_000, now: Date.now() }
    for (let i = 0; i < count; i++) {
      const claimed = await store.executions.claim(`e${i}`, claim)
      expect(claimed?.context).toEqual({ headers: { 'x-n': String(i) }, query: {}, body: { n: i }, params: {}, method: 'POST' })
      // What the run does with its context never reaches the stored record.
      ;(claimed!.context.body as { n: number }).n = -1
      expect((await store.executions.get(`e${i}`))?.context.body).toEqual({ n: i })
    }
    // A second claim (an expired lease) reads the stored text again.
    const again = await store.executions.claim('e0', { ...claim, now: claim.now + 120_000 })
    expect(again?.context.body).toEqual({ n: 0 })
  })

  it('runs a webhook delivery with the context it stored, and a node changing it changes nothing stored', async () => {
    const seen: unknown[] = []
    const engine = createEngine({
      nodeTypes: [
        defineNode({
          type: 'meddle',
          run: ({ execution }) => {
            seen.push(structuredClone(execution.context.body))
            ;(execution.context.body as { id: string }).id = 'changed'
          },
        }),
      ],
    })
    engine.register({ key: 'k', trigger: { type: 'webhook', id: 'k' }, nodes: [{ key: 'm', type: 'meddle' }] })
    const trigger = new WebhookTrigger({ engine })
    const response = await trigger.fetch(new Request('http://x/api/webhook:trigger/k', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"first"}' }))
    await engine.idle()
    expect(seen).toEqual([{ id: 'first' }])
    const execution = await engine.getExecution(response.headers.get('x-execution-id')!)
    expect(execution?.status).toBe('resolved')
    expect(execution?.context.body).toEqual({ id: 'first' })
  })
})
