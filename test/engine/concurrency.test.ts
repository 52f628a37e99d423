import { describe, it, expect } from 'vitest'
import { createEngine, defineNode } from '../../src/index.js'
import { gate, turns, until, workflow } from './helpers.js'

function counted(concurrency: number) {
  const hold = gate()
  const counter = { active: 0, max: 0, started: 0 }
  const node = defineNode({
    type: 'test.count',
    run: async () => {
      counter.active++
      counter.started++
      counter.max = Math.max(counter.max, counter.active)
      await hold.promise
      counter.active--
      return null
    },
  })
  const engine = createEngine({ concurrency, nodeTypes: [node] })
  engine.register(workflow('w', [{ key: 'c', type: 'test.count' }]))
  return { engine, hold, counter }
}

describe('memory queue concurrency', () => {
  it('runs at most 2 nodes at once with concurrency 2', async () => {
    const { engine, hold, counter } = counted(2)
    for (let i = 0; i < 6; i++) await engine.trigger('w')
    await until(() => counter.active === 2)
    await turns(50)
    const heldAtOnce = counter.started
    hold.open()
    await engine.idle()
    expect(heldAtOnce).toBe(2)
    expect(counter.max).toBe(2)
  })

  it('runs every queued execution once the running ones finish', async () => {
    const { engine, hold, counter } = counted(2)
    for (let i = 0; i < 6; i++) await engine.trigger('w')
    hold.open()
    await engine.idle()
    expect(counter.started).toBe(6)
    expect((await engine.listExecutions({ status: 'resolved' })).length).toBe(6)
  })

  it('runs one at a time with concurrency 1', async () => {
    const { engine, hold, counter } = counted(1)
    for (let i = 0; i < 3; i++) await engine.trigger('w')
    await until(() => counter.active === 1)
    await turns(50)
    const heldAtOnce = counter.started
    hold.open()
    await engine.idle()
    expect(heldAtOnce).toBe(1)
  })

  it('refuses a concurrency below 1', () => {
    expect(() => createEngine({ concurrency: 0 })).toThrow(TypeError)
  })
})
