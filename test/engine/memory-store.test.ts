import { describe, it, expect } from 'vitest'
import { createEngine, createMemoryStore, defineNode } from '../../src/index.js'
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
