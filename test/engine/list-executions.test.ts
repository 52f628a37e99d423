import { describe, it, expect, beforeAll } from 'vitest'
import { createEngine, defineNode } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { gate, runToEnd, turns, workflow } from './helpers.js'

describe('listExecutions filters and order', () => {
  // Five finished executions, oldest first: ok, stop (failed), ok, stop (failed), ok.
  let engine: Engine
  const ids: string[] = []
  beforeAll(async () => {
    engine = createEngine()
    engine.register(workflow('ok'))
    engine.register(workflow('stop', [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }]))
    for (const key of ['ok', 'stop', 'ok', 'stop', 'ok']) ids.push((await runToEnd(engine, key)).id)
  })

  it('returns an array, newest first', async () => {
    expect((await engine.listExecutions()).map((execution) => execution.id)).toEqual([...ids].reverse())
  })

  it('filters by workflowKey', async () => {
    const listed = await engine.listExecutions({ workflowKey: 'stop' })
    expect(listed.map((execution) => execution.id)).toEqual([ids[3], ids[1]])
  })

  it('filters by status', async () => {
    const failed = await engine.listExecutions({ status: 'failed' })
    expect(failed).toHaveLength(2)
    expect(failed.every((execution) => execution.status === 'failed' && execution.workflowKey === 'stop')).toBe(true)
  })

  it('filters by several statuses', async () => {
    expect(await engine.listExecutions({ status: ['failed', 'resolved'] })).toHaveLength(5)
  })

  it('filters by workflowKey and status together', async () => {
    expect(await engine.listExecutions({ workflowKey: 'ok', status: 'failed' })).toEqual([])
  })

  it('honours a small limit, keeping the newest', async () => {
    expect((await engine.listExecutions({ limit: 2 })).map((execution) => execution.id)).toEqual([ids[4], ids[3]])
  })

  it('lists an execution still waiting in the queue as queued', async () => {
    const hold = gate()
    const engine = createEngine({ concurrency: 1, nodeTypes: [defineNode({ type: 'test.hold', run: () => hold.promise })] })
    engine.register(workflow('hold', [{ key: 'h', type: 'test.hold' }]))
    await engine.trigger('hold')
    const { id } = await engine.trigger('hold')
    await turns()
    const queued = await engine.listExecutions({ status: 'queued' })
    hold.open()
    await engine.idle()
    expect(queued.map((execution) => execution.id)).toEqual([id])
  })

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a limit of %s', async (limit) => {
    await expect(engine.listExecutions({ limit })).rejects.toThrow()
  })

  it('refuses an unknown status', async () => {
    await expect(engine.listExecutions({ status: 'done' as never })).rejects.toThrow()
  })
})

describe('listExecutions limits with 1100 executions', () => {
  let engine: Engine
  beforeAll(async () => {
    engine = createEngine()
    engine.register(workflow('empty'))
    for (let i = 0; i < 1100; i++) await engine.trigger('empty')
    await engine.idle()
  })

  it('returns 100 by default', async () => {
    expect(await engine.listExecutions()).toHaveLength(100)
  })

  it('honours a limit of 1000', async () => {
    expect(await engine.listExecutions({ limit: 1000 })).toHaveLength(1000)
  })

  it('honours a limit of 500', async () => {
    expect(await engine.listExecutions({ limit: 500 })).toHaveLength(500)
  })

  it('caps a limit of 5000 at 1000', async () => {
    expect(await engine.listExecutions({ limit: 5000 })).toHaveLength(1000)
  })
})
