/**
 * @module
 * Store suite: `executions.count`, the counts by workflow and status that the inspector shows.
 * The method is optional: a store without it skips these cases.
 */
import { expect, it } from 'vitest'
import type { ExecutionCount } from '../../storage/store.js'
import { T0, type StoreContext } from './fixtures.js'

const sorted = (counts: ExecutionCount[]): ExecutionCount[] =>
  [...counts].sort((a, b) => a.workflowKey.localeCompare(b.workflowKey) || a.status.localeCompare(b.status))

export function countCases({ store, stored }: StoreContext): void {
  it('counts executions by workflow and status, only the pairs that have any', async ({ skip }) => {
    const count = store().executions.count?.bind(store().executions)
    if (!count) return skip('this store has no executions.count')
    await stored({ workflowKey: 'a', status: 'resolved' })
    await stored({ workflowKey: 'a', status: 'resolved' })
    await stored({ workflowKey: 'a', status: 'failed' })
    await stored({ workflowKey: 'b', status: 'queued' })
    expect(sorted(await count({}))).toEqual([
      { workflowKey: 'a', status: 'failed', count: 1 },
      { workflowKey: 'a', status: 'resolved', count: 2 },
      { workflowKey: 'b', status: 'queued', count: 1 },
    ])
  })

  it('counts only executions created at or after `since`', async ({ skip }) => {
    const count = store().executions.count?.bind(store().executions)
    if (!count) return skip('this store has no executions.count')
    await stored({ workflowKey: 'a', status: 'resolved', createdAt: T0 - 10 })
    await stored({ workflowKey: 'a', status: 'resolved', createdAt: T0 + 5 })
    await stored({ workflowKey: 'a', status: 'error', createdAt: T0 + 6 })
    expect(sorted(await count({ since: T0 + 5 }))).toEqual([
      { workflowKey: 'a', status: 'error', count: 1 },
      { workflowKey: 'a', status: 'resolved', count: 1 },
    ])
    expect(await count({ since: T0 + 100 })).toEqual([])
  })

  it('counts an execution under its status as it is now', async ({ skip }) => {
    const count = store().executions.count?.bind(store().executions)
    if (!count) return skip('this store has no executions.count')
    const record = await stored({ workflowKey: 'a', status: 'queued' })
    await store().executions.update(record.id, { status: 'resolved', finishedAt: T0 + 1000 })
    expect(await count({})).toEqual([{ workflowKey: 'a', status: 'resolved', count: 1 }])
  })
}
