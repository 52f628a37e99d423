import { describe, expect, it } from 'vitest'
import { TurnWrites } from '../../src/adapters/node/turn-writes.js'

describe('TurnWrites', () => {
  it('writes nothing before the turn ends, then every write of the turn in order', async () => {
    const order: string[] = []
    const writes = new TurnWrites(() => order.push('error'))
    writes.add(() => order.push('first'))
    writes.add(() => order.push('second'))
    await Promise.resolve()
    expect(order).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual(['first', 'second'])
  })

  it('writes after the microtasks of the turn that added them', async () => {
    const order: string[] = []
    const writes = new TurnWrites(() => undefined)
    writes.add(() => order.push('write'))
    queueMicrotask(() => order.push('microtask'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual(['microtask', 'write'])
  })

  it('reports a write that throws and still makes the writes after it', async () => {
    const errors: unknown[] = []
    const done: string[] = []
    const writes = new TurnWrites((error) => errors.push(error))
    const failure = new Error('broken socket')
    writes.add(() => {
      throw failure
    })
    writes.add(() => done.push('next'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toEqual([failure])
    expect(done).toEqual(['next'])
  })

  it('starts a new batch for writes added while a turn is being written', async () => {
    const order: string[] = []
    const writes = new TurnWrites(() => undefined)
    writes.add(() => {
      order.push('outer')
      writes.add(() => order.push('inner'))
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual(['outer'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual(['outer', 'inner'])
  })
})
