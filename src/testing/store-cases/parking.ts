/**
 * @module
 * Store suite: parked executions (contract A: a delay node, an execution retry). A `queued`
 * execution whose `wakeAt` is later than `now` is neither claimable nor claimed; once due it
 * is both, and claiming keeps `wakeAt`. A running execution parks with one `update`.
 */
import { expect, it } from 'vitest'
import { claimAt, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 2_000_000

export function parkingCases({ store, stored: create }: StoreContext): void {
  // Contract A sets `wakeAt` through `update` (a running execution parks); `create` need not take it.
  const stored = async (overrides: { wakeAt?: number | null } = {}) => {
    const record = await create()
    if (overrides.wakeAt !== undefined) await store().executions.update(record.id, { wakeAt: overrides.wakeAt })
    return record
  }

  it('neither lists nor claims a queued execution before its wakeAt', async () => {
    const parked = await stored({ wakeAt: NOW + 1000 })
    const due = await stored()
    expect(await store().executions.claimable({ now: NOW, limit: 10 })).toEqual([due.id])
    expect(await store().executions.claim(parked.id, claimAt(NOW + 999))).toBeUndefined()
    expect((await store().executions.get(parked.id))?.status).toBe('queued')
  })

  it('lists and claims it once due, keeping its wakeAt', async () => {
    const parked = await stored({ wakeAt: NOW + 1000 })
    expect(await store().executions.claimable({ now: NOW + 1000, limit: 10 })).toEqual([parked.id])
    const claimed = await store().executions.claim(parked.id, claimAt(NOW + 1000))
    expect(claimed).toMatchObject({ status: 'started', attempts: 1, wakeAt: NOW + 1000 })
    expect((await store().executions.get(parked.id))?.wakeAt).toBe(NOW + 1000)
  })

  it('treats a null wakeAt as due now', async () => {
    const record = await stored({ wakeAt: null })
    expect(await store().executions.claimable({ now: NOW, limit: 10 })).toEqual([record.id])
    expect(await store().executions.claim(record.id, claimAt(NOW))).toBeDefined()
  })

  it('parks a running execution with one update: queued with wakeAt, claimable by anyone once due', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.update(record.id, { status: 'queued', wakeAt: NOW + 5000 })
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'queued', wakeAt: NOW + 5000 })
    expect(await store().executions.claimable({ now: NOW + 4999, limit: 10 })).toEqual([])
    expect(await store().executions.claim(record.id, claimAt(NOW + 4999, 'worker-b'))).toBeUndefined()
    expect(await store().executions.claimable({ now: NOW + 5000, limit: 10 })).toEqual([record.id])
    // The parking worker's claim is not needed to take it: another worker's claim wins.
    expect(await store().executions.claim(record.id, claimAt(NOW + 5000, 'worker-b'))).toMatchObject({ status: 'started', attempts: 2 })
  })

  it('makes a parked execution due again when wakeAt is cleared', async () => {
    const record = await stored({ wakeAt: NOW + 60_000 })
    await store().executions.update(record.id, { wakeAt: null })
    expect(await store().executions.claimable({ now: NOW, limit: 10 })).toEqual([record.id])
    expect((await store().executions.get(record.id))?.wakeAt ?? null).toBeNull()
  })
}
