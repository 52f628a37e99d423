import { describe, expect, it } from 'vitest'
import { StatementBatch } from '../../src/storage/postgres/statement-batch.js'

/** A batch whose statements are recorded; `many` fails with `manyError` when given. */
function recorded(manyError?: unknown) {
  const ones: number[] = []
  const manys: number[][] = []
  const batch = new StatementBatch<number, string>(
    async (n) => {
      ones.push(n)
      if (n < 0) throw new Error(`no ${n}`)
      return `one ${n}`
    },
    async (ns) => {
      manys.push(ns)
      if (manyError) throw manyError
      return ns.map((n) => `many ${n}`)
    },
  )
  return { batch, ones, manys }
}

describe('StatementBatch', () => {
  it('runs the calls of one turn as one statement and answers each in order', async () => {
    const { batch, ones, manys } = recorded()
    expect(await Promise.all([1, 2, 3].map((n) => batch.add(n)))).toEqual(['many 1', 'many 2', 'many 3'])
    expect(manys).toEqual([[1, 2, 3]])
    expect(ones).toEqual([])
  })

  it('runs a lone call as its own statement', async () => {
    const { batch, manys } = recorded()
    expect(await batch.add(7)).toBe('one 7')
    expect(manys).toEqual([])
  })

  it('runs each call alone when the server refused the batch, so only the bad one fails', async () => {
    const refused = Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('duplicate key'), { code: '23505' }) })
    const { batch, ones } = recorded(refused)
    const settled = await Promise.allSettled([1, -2, 3].map((n) => batch.add(n)))
    expect(settled).toEqual([
      { status: 'fulfilled', value: 'one 1' },
      { status: 'rejected', reason: new Error('no -2') },
      { status: 'fulfilled', value: 'one 3' },
    ])
    expect(ones).toEqual([1, -2, 3])
  })

  it('fails every call, and runs none again, when the connection failed (the batch may have committed)', async () => {
    const lost = Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })
    const { batch, ones } = recorded(lost)
    const settled = await Promise.allSettled([1, 2].map((n) => batch.add(n)))
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    expect(ones).toEqual([])
  })

  it('keeps the calls of the next turn for the next statement', async () => {
    const { batch, manys } = recorded()
    const first = Promise.all([1, 2].map((n) => batch.add(n)))
    await new Promise((resolve) => setImmediate(resolve))
    const second = Promise.all([3, 4].map((n) => batch.add(n)))
    await Promise.all([first, second])
    expect(manys).toEqual([[1, 2], [3, 4]])
  })
})
