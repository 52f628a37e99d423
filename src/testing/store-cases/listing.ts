/**
 * @module
 * Store suite: lists (newest first, filters, limit, pages through a `before` cursor) and
 * pruning of final executions by age and by count.
 */
import { expect, it } from 'vitest'
import type { ExecutionRecord, ExecutionStatus } from '../../engine/execution.js'
import type { ListExecutionsQuery } from '../../storage/store.js'
import { job, T0, type StoreContext } from './fixtures.js'

const ids = (records: ExecutionRecord[]): string[] => records.map((record) => record.id)

export function listingCases({ store, stored }: StoreContext): void {
  /** Every page of `query` (pages of `limit`), each continuing after the last of the one before. */
  async function allPages(query: ListExecutionsQuery): Promise<string[][]> {
    const pages: string[][] = []
    let before: ListExecutionsQuery['before']
    for (;;) {
      const page = await store().executions.list({ ...query, ...(before ? { before } : {}) })
      if (page.length === 0) return pages
      pages.push(ids(page))
      const last = page[page.length - 1]!
      before = { createdAt: last.createdAt, id: last.id }
      if (pages.length > 100) throw new Error('paging does not end')
    }
  }

  it('lists newest first by creation time, whatever order they were stored in', async () => {
    const middle = await stored({ createdAt: T0 + 20 })
    const newest = await stored({ createdAt: T0 + 30 })
    const oldest = await stored({ createdAt: T0 + 10 })
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([newest.id, middle.id, oldest.id])
  })

  it('lists the later stored first among executions created in the same millisecond', async () => {
    const first = await stored({ createdAt: T0 })
    const second = await stored({ createdAt: T0 })
    const third = await stored({ createdAt: T0 })
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([third.id, second.id, first.id])
  })

  it('lists no jobs with the executions', async () => {
    const record = await stored()
    await store().jobs.save(record.id, [job(0)])
    expect((await store().executions.list({ limit: 10 }))[0]?.jobs).toEqual([])
  })

  it('filters by workflow, by one or several statuses, and by creation time', async () => {
    const a1 = await stored({ workflowKey: 'a', status: 'resolved', createdAt: T0 + 1 })
    const b1 = await stored({ workflowKey: 'b', status: 'failed', createdAt: T0 + 2 })
    const a2 = await stored({ workflowKey: 'a', status: 'queued', createdAt: T0 + 3 })
    const a3 = await stored({ workflowKey: 'a', status: 'failed', createdAt: T0 + 4 })
    const list = async (query: Omit<ListExecutionsQuery, 'limit'>): Promise<string[]> => ids(await store().executions.list({ ...query, limit: 10 }))
    expect(await list({ workflowKey: 'a' })).toEqual([a3.id, a2.id, a1.id])
    expect(await list({ status: 'failed' })).toEqual([a3.id, b1.id])
    expect(await list({ status: ['failed', 'resolved'] as ExecutionStatus[] })).toEqual([a3.id, b1.id, a1.id])
    expect(await list({ since: T0 + 2 })).toEqual([a3.id, a2.id, b1.id])
    expect(await list({ workflowKey: 'a', status: 'failed', since: T0 + 2 })).toEqual([a3.id])
    expect(await list({ workflowKey: 'none' })).toEqual([])
  })

  it('returns at most `limit` executions, the newest', async () => {
    const records = []
    for (let i = 0; i < 5; i++) records.push(await stored())
    expect(ids(await store().executions.list({ limit: 2 }))).toEqual([records[4]!.id, records[3]!.id])
  })

  it('pages through every execution without duplicates or gaps, ties on creation time included', async () => {
    const expected: string[] = []
    // 23 executions over 8 distinct milliseconds, so pages end inside runs of equal times.
    for (let i = 0; i < 23; i++) expected.unshift((await stored({ createdAt: T0 + Math.floor(i / 3) })).id)
    const pages = await allPages({ limit: 4 })
    expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 4, 4, 3])
    expect(pages.flat()).toEqual(expected)
  })

  it('pages through a filtered list', async () => {
    const expected: string[] = []
    for (let i = 0; i < 12; i++) {
      const record = await stored({ workflowKey: i % 2 === 0 ? 'even' : 'odd', createdAt: T0 + Math.floor(i / 4) })
      if (i % 2 === 0) expected.unshift(record.id)
    }
    expect((await allPages({ workflowKey: 'even', limit: 5 })).flat()).toEqual(expected)
  })

  it('pages through one workflow\'s executions of one status', async () => {
    const expected: string[] = []
    for (let i = 0; i < 15; i++) {
      const status: ExecutionStatus = i % 3 === 0 ? 'failed' : 'resolved'
      const record = await stored({ workflowKey: i % 2 === 0 ? 'even' : 'odd', status, createdAt: T0 + Math.floor(i / 4) })
      if (i % 2 === 0 && status === 'failed') expected.unshift(record.id)
    }
    expect(expected).toHaveLength(3)
    expect(await allPages({ workflowKey: 'even', status: 'failed', limit: 2 })).toEqual([expected.slice(0, 2), expected.slice(2)])
  })

  it('continues after a cursor whose execution was deleted meanwhile', async () => {
    const records = []
    for (let i = 0; i < 4; i++) records.push(await stored({ createdAt: T0 + i * 10 }))
    const gone = records[2]!
    await store().executions.delete(gone.id)
    const page = await store().executions.list({ limit: 10, before: { createdAt: gone.createdAt, id: gone.id } })
    expect(ids(page)).toEqual([records[1]!.id, records[0]!.id])
  })

  it('prunes final executions created before a time, never queued or started ones', async () => {
    const oldDone = await stored({ status: 'resolved', createdAt: T0 + 1 })
    const oldFailed = await stored({ status: 'error', createdAt: T0 + 2 })
    const oldQueued = await stored({ status: 'queued', createdAt: T0 + 3 })
    const oldStarted = await stored({ status: 'started', createdAt: T0 + 4 })
    const newDone = await stored({ status: 'aborted', reason: 'canceled', createdAt: T0 + 50 })
    expect(await store().executions.prune({ createdBefore: T0 + 50 })).toBe(2)
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([newDone.id, oldStarted.id, oldQueued.id])
    expect(await store().executions.get(oldDone.id)).toBeUndefined()
    expect(await store().executions.get(oldFailed.id)).toBeUndefined()
  })

  it('keeps only the newest `keep` final executions, and every unfinished one', async () => {
    const finals = []
    for (let i = 0; i < 5; i++) finals.push(await stored({ status: 'resolved' }))
    const queued = await stored({ status: 'queued' })
    // Created later than every final one yet older in time: `keep` counts by creation time.
    const backdated = await stored({ status: 'failed', createdAt: T0 - 1000 })
    expect(await store().executions.prune({ keep: 2 })).toBe(4)
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([queued.id, finals[4]!.id, finals[3]!.id])
    expect(await store().executions.get(backdated.id)).toBeUndefined()
  })

  it('prunes by age or by count when given both', async () => {
    const old = await stored({ status: 'resolved', createdAt: T0 + 1 })
    const mid = await stored({ status: 'resolved', createdAt: T0 + 2 })
    const recent = await stored({ status: 'resolved', createdAt: T0 + 3 })
    expect(await store().executions.prune({ createdBefore: T0 + 2, keep: 2 })).toBe(1)
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([recent.id, mid.id])
    expect(await store().executions.get(old.id)).toBeUndefined()
    // Now the count reaches further back than the age.
    expect(await store().executions.prune({ createdBefore: T0 + 1, keep: 1 })).toBe(1)
    expect(ids(await store().executions.list({ limit: 10 }))).toEqual([recent.id])
  })

  it('prunes the jobs of what it prunes, and nothing without limits', async () => {
    const record = await stored({ status: 'resolved' })
    await store().jobs.save(record.id, [job(0)])
    expect(await store().executions.prune({})).toBe(0)
    expect(await store().executions.prune({ keep: 0 })).toBe(1)
    expect(await store().jobs.list(record.id)).toEqual([])
  })
}
