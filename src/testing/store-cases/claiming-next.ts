/**
 * @module
 * Store suite: `executions.claimNext`, finding and claiming the oldest claimable executions in
 * one step. Skipped for a store without it (a polling queue then lists and claims each).
 */
import { expect, it } from 'vitest'
import type { ExecutionStore } from '../../storage/store.js'
import { claimAt, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 5_000_000

export function claimingNextCases({ store, stored }: StoreContext): void {
  const claimNextOf = (skip: () => void): NonNullable<ExecutionStore['claimNext']> => {
    const { executions } = store()
    if (!executions.claimNext) skip()
    return executions.claimNext!.bind(executions)
  }

  it('claims the oldest claimable ones, up to the limit: queued and due, or started with an expired claim', async ({ skip }) => {
    const claimNext = claimNextOf(skip)
    const expired = await stored()
    const held = await stored()
    const queued = await stored()
    await stored({ status: 'resolved', finishedAt: NOW })
    await stored({ wakeAt: NOW + 60_000 })
    const later = await stored()
    await store().executions.claim(expired.id, claimAt(NOW - 2000, 'crashed', 1000))
    await store().executions.claim(held.id, claimAt(NOW, 'alive', 60_000))

    const first = await claimNext({ ...claimAt(NOW, 'worker-a', 30_000), limit: 2 })
    expect(first.map((record) => record.id)).toEqual([expired.id, queued.id])
    expect(first[0]).toEqual({ ...expired, status: 'started', startedAt: NOW - 2000, attempts: 2, jobs: [] })
    expect(first[1]).toEqual({ ...queued, status: 'started', startedAt: NOW, attempts: 1, jobs: [] })

    const rest = await claimNext({ ...claimAt(NOW, 'worker-a', 30_000), limit: 10 })
    expect(rest.map((record) => record.id)).toEqual([later.id])
    expect(await claimNext({ ...claimAt(NOW, 'worker-b'), limit: 10 })).toEqual([])
    expect(await store().executions.claimable({ now: NOW, limit: 10 })).toEqual([])
  })

  it('holds what it claimed for its owner, for its lease', async ({ skip }) => {
    const claimNext = claimNextOf(skip)
    const record = await stored()
    await claimNext({ ...claimAt(NOW, 'worker-a', 1000), limit: 1 })
    expect(await store().executions.claim(record.id, claimAt(NOW + 999, 'worker-b'))).toBeUndefined()
    expect(await store().executions.update(record.id, { status: 'resolved', finishedAt: NOW + 1 }, { owner: 'worker-b' })).toBe(false)
    expect(await store().executions.renew(record.id, claimAt(NOW + 500, 'worker-a', 1000))).toBe(true)
    expect(await store().executions.update(record.id, { status: 'resolved', finishedAt: NOW + 2 }, { owner: 'worker-a' })).toBe(true)
  })

  it('gives each execution to one of several workers claiming at once', async ({ skip }) => {
    const claimNext = claimNextOf(skip)
    const ids = new Set<string>()
    for (let i = 0; i < 30; i++) ids.add((await stored()).id)
    const claimed = await Promise.all(Array.from({ length: 6 }, (_, i) => claimNext({ ...claimAt(NOW, `worker-${i}`), limit: 8 })))
    const all = claimed.flat().map((record) => record.id)
    expect(new Set(all).size).toBe(all.length)
    for (const id of all) expect(ids.has(id)).toBe(true)
    // What none of them took is still there for the next.
    const left = await claimNext({ ...claimAt(NOW, 'worker-last'), limit: 30 })
    expect(all.length + left.length).toBe(30)
  })
}
