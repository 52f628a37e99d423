import { describe, it, expect } from 'vitest'
import { createEngine, defineNode } from '../../src/index.js'
import { problemPaths, runToEnd, workflow } from './helpers.js'

const special = defineNode({ type: 'acme.special', run: () => 'special' })

describe('two engines in one process', () => {
  it('do not share workflows', async () => {
    const a = createEngine()
    const b = createEngine()
    a.register(workflow('only-a'))
    await expect(b.trigger('only-a')).rejects.toThrow()
  })

  it('do not share node types', () => {
    const a = createEngine({ nodeTypes: [special] })
    const b = createEngine()
    a.register(workflow('w', [{ key: 's', type: 'acme.special' }]))
    expect(problemPaths(b, workflow('w', [{ key: 's', type: 'acme.special' }]))).toEqual(['/nodes/0/type'])
  })

  it('may both use the same trigger id', () => {
    const a = createEngine()
    const b = createEngine()
    a.register({ key: 'one', trigger: { type: 'webhook', id: 'same' }, nodes: [] })
    expect(() => b.register({ key: 'two', trigger: { type: 'webhook', id: 'same' }, nodes: [] })).not.toThrow()
  })

  it('do not list each other\'s executions', async () => {
    const a = createEngine()
    const b = createEngine()
    a.register(workflow('w'))
    b.register(workflow('w'))
    await runToEnd(a, 'w')
    expect(await b.listExecutions()).toEqual([])
  })

  it('run the same workflow key with each engine\'s own definition', async () => {
    const a = createEngine({ nodeTypes: [special] })
    const b = createEngine()
    a.register(workflow('w', [{ key: 's', type: 'acme.special' }]))
    b.register(workflow('w', [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }]))
    expect((await runToEnd(a, 'w')).status).toBe('resolved')
    expect((await runToEnd(b, 'w')).status).toBe('failed')
  })

  it('deliver events only to their own listeners', async () => {
    const a = createEngine()
    const b = createEngine()
    a.register(workflow('w'))
    let heardByB = 0
    b.on('execution:finished', () => heardByB++)
    await runToEnd(a, 'w')
    expect(heardByB).toBe(0)
  })
})
