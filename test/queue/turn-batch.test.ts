import { describe, expect, it } from 'vitest'
import { TurnBatch } from '../../src/queue/turn-batch.js'

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('TurnBatch', () => {
  it('carries the calls of one turn in one flush, and those of the next in another', async () => {
    const flushes: number[][] = []
    const batch = new TurnBatch<number>(async (items) => void flushes.push(items))
    // From separate I/O-like callbacks of one turn, as deliveries that arrived together.
    const first = await Promise.all([batch.add([1]), batch.add([2, 3]), new Promise<void>((resolve) => setImmediate(() => void batch.add([4]).then(resolve)))])
    expect(first).toEqual([undefined, undefined, undefined])
    await batch.add([5])
    expect(flushes).toEqual([[1, 2, 3], [4], [5]])
  })

  it('settles no caller before its flush did', async () => {
    let finish!: () => void
    const batch = new TurnBatch<string>(() => new Promise<void>((resolve) => (finish = resolve)))
    let settled = false
    const added = batch.add(['a']).then(() => (settled = true))
    await nextTurn()
    await nextTurn()
    expect(settled).toBe(false)
    finish()
    await added
    expect(settled).toBe(true)
  })

  it('rejects every caller of a flush that fails, whether it rejects or throws', async () => {
    const rejecting = new TurnBatch<number>(async () => Promise.reject(new Error('redis down')))
    const results = await Promise.allSettled([rejecting.add([1]), rejecting.add([2])])
    expect(results.map((result) => result.status === 'rejected' && (result.reason as Error).message)).toEqual(['redis down', 'redis down'])
    const throwing = new TurnBatch<number>(() => {
      throw new Error('bad jobs')
    })
    await expect(throwing.add([1])).rejects.toThrow('bad jobs')
    // The next turn flushes anew.
    const ok = new TurnBatch<number>(async () => undefined)
    await expect(ok.add([1])).resolves.toBeUndefined()
  })
})
