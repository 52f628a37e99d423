import { describe, expect, it, onTestFinished } from 'vitest'
import { createEngine, defineNode, type Engine, HookflowError, WorkflowNotFoundError } from '../../src/index.js'

function engineWith(): { engine: Engine; seen: unknown[] } {
  const seen: unknown[] = []
  const record = defineNode({ type: 'test.record', run: ({ config }) => { seen.push(config); return { seen: seen.length } } })
  const engine = createEngine({ nodeTypes: [record] })
  engine.register({ key: 'w', trigger: { type: 'webhook', id: 'w' }, nodes: [{ key: 'r', type: 'test.record', config: { amount: '{{$context.body.amount}}' } }] })
  onTestFinished(() => engine.close())
  return { engine, seen }
}

describe('engine.replay', () => {
  it('runs a new execution from the stored context, marked as a replay of the first, and leaves the first as it was', async () => {
    const { engine, seen } = engineWith()
    const first = await engine.trigger('w', { body: { amount: 42 }, headers: { 'x-a': '1' } })
    await engine.idle()
    const before = await engine.getExecution(first.id)
    const replay = await engine.replay(first.id)
    expect(replay.id).not.toBe(first.id)
    expect(replay).toMatchObject({ workflowKey: 'w', replayOf: first.id, status: 'queued', context: before!.context })
    await engine.idle()
    expect(await engine.getExecution(replay.id)).toMatchObject({ status: 'resolved', replayOf: first.id, jobs: [{ nodeKey: 'r', result: { seen: 2 } }] })
    expect(seen).toEqual([{ amount: 42 }, { amount: 42 }])
    expect(await engine.getExecution(first.id)).toEqual(before)
  })

  it('replays an execution of any status, a failed one included', async () => {
    const engine = createEngine()
    onTestFinished(() => engine.close())
    engine.register({ key: 'f', trigger: { type: 'webhook', id: 'f' }, nodes: [{ key: 'end', type: 'end', config: { endStatus: 'failed' } }] })
    const first = await engine.trigger('f')
    await engine.idle()
    const replay = await engine.replay(first.id)
    await engine.idle()
    expect((await engine.getExecution(replay.id))?.status).toBe('failed')
  })

  it('refuses an id it does not hold with a 404 execution_not_found', async () => {
    const { engine } = engineWith()
    const error = await engine.replay('nope').catch((caught: unknown) => caught)
    expect(HookflowError.is(error) && [error.code, error.status]).toEqual(['execution_not_found', 404])
  })

  it('refuses an execution whose workflow is no longer registered', async () => {
    const { engine } = engineWith()
    const first = await engine.trigger('w', { body: { amount: 1 } })
    await engine.idle()
    engine.unregister('w')
    await expect(engine.replay(first.id)).rejects.toBeInstanceOf(WorkflowNotFoundError)
  })
})

describe('the engine:close event', () => {
  it('fires once, when close() is called', async () => {
    const engine = createEngine()
    let fired = 0
    engine.on('engine:close', () => fired++)
    await Promise.all([engine.close(), engine.close()])
    expect(fired).toBe(1)
  })
})
