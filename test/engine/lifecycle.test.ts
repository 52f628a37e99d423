import { describe, it, expect } from 'vitest'
import { createEngine, defineNode, HookflowError } from '../../src/index.js'
import { gate, turns, workflow } from './helpers.js'

function heldEngine(sync = false) {
  const hold = gate()
  const engine = createEngine({ nodeTypes: [defineNode({ type: 'test.hold', run: async () => { await hold.promise; return 'done' } })] })
  engine.register(workflow('w', [{ key: 'h', type: 'test.hold' }], { sync }))
  return { engine, hold }
}

async function settles(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(() => { settled = true }, () => { settled = true })
  await turns(30)
  return settled
}

describe('engine.idle', () => {
  it('resolves at once when nothing was triggered', async () => {
    await expect(createEngine().idle()).resolves.toBeUndefined()
  })

  it('waits for an async run that is still going', async () => {
    const { engine, hold } = heldEngine()
    const { id } = await engine.trigger('w')
    const idle = engine.idle()
    expect(await settles(idle)).toBe(false)
    hold.open()
    await idle
    expect((await engine.getExecution(id))?.status).toBe('resolved')
  })

  it('waits for a sync run that is still going', async () => {
    const { engine, hold } = heldEngine(true)
    const { id } = await engine.trigger('w')
    const idle = engine.idle()
    expect(await settles(idle)).toBe(false)
    hold.open()
    await idle
    expect((await engine.getExecution(id))?.status).toBe('resolved')
  })

  it('leaves every async execution in its final state with its jobs', async () => {
    const engine = createEngine({ nodeTypes: [defineNode({ type: 'test.slow', run: async () => { await turns(3); return 1 } })] })
    engine.register(workflow('w', [{ key: 's', type: 'test.slow' }]))
    const ids: string[] = []
    for (let i = 0; i < 10; i++) ids.push((await engine.trigger('w')).id)
    await engine.idle()
    const executions = await Promise.all(ids.map((id) => engine.getExecution(id)))
    expect(executions.map((execution) => [execution?.status, execution?.jobs.length])).toEqual(ids.map(() => ['resolved', 1]))
  })
})

describe('engine.close', () => {
  it('waits for running executions before it resolves', async () => {
    const { engine, hold } = heldEngine()
    const { id } = await engine.trigger('w')
    const closing = engine.close()
    expect(await settles(closing)).toBe(false)
    hold.open()
    await closing
    expect((await engine.getExecution(id))?.status).toBe('resolved')
  })

  it('refuses new triggers once closed', async () => {
    const engine = createEngine()
    engine.register(workflow('w'))
    await engine.close()
    const error: unknown = await engine.trigger('w').catch((caught: unknown) => caught)
    expect(HookflowError.is(error)).toBe(true)
    expect((error as HookflowError).code).toBe('engine_closed')
  })

  it('refuses new triggers while it waits for running ones', async () => {
    const { engine, hold } = heldEngine()
    await engine.trigger('w')
    const closing = engine.close()
    const refused = engine.trigger('w')
    await expect(refused).rejects.toThrow()
    hold.open()
    await closing
  })

  it('can be called twice', async () => {
    const engine = createEngine()
    await engine.close()
    await expect(engine.close()).resolves.toBeUndefined()
  })
})
