/**
 * @module
 * Store suite: claims. One worker wins a claim; an expired claim can be taken over; only the
 * owner renews; final executions are never claimed; `claimable` lists the oldest first.
 */
import { expect, it } from 'vitest'
import { FINAL_STATUSES } from '../../engine/execution.js'
import { claimAt, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 1_000_000

export function claimCases({ store, execution, stored }: StoreContext): void {
  it('claims a queued execution: started, its start time set, the attempt counted', async () => {
    const record = await stored()
    const claimed = await store().executions.claim(record.id, claimAt(NOW))
    expect(claimed).toEqual({ ...record, status: 'started', startedAt: NOW, attempts: 1, jobs: [] })
    expect(await store().executions.get(record.id)).toEqual(claimed)
  })

  it('lets exactly one of 20 concurrent claims win', async () => {
    const record = await stored()
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store().executions.claim(record.id, claimAt(NOW, `worker-${i}`))),
    )
    expect(claims.filter(Boolean)).toHaveLength(1)
    expect((await store().executions.get(record.id))?.attempts).toBe(1)
  })

  it('refuses a claim while another holds it', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 1000))
    expect(await store().executions.claim(record.id, claimAt(NOW + 999, 'worker-b'))).toBeUndefined()
  })

  it('lets another worker take over a claim that expired, keeping the first start time', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'crashed', 1000))
    const taken = await store().executions.claim(record.id, claimAt(NOW + 1000, 'worker-b'))
    expect(taken).toMatchObject({ status: 'started', startedAt: NOW, attempts: 2 })
  })

  it('never claims a final execution', async () => {
    for (const status of FINAL_STATUSES) {
      const record = await stored({ status, finishedAt: NOW })
      expect(await store().executions.claim(record.id, claimAt(NOW)), status).toBeUndefined()
    }
    expect(await store().executions.claim('no-such-execution', claimAt(NOW))).toBeUndefined()
  })

  it('renews a claim for its owner only', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 1000))
    expect(await store().executions.renew(record.id, claimAt(NOW + 500, 'worker-b', 1000))).toBe(false)
    expect(await store().executions.renew(record.id, claimAt(NOW + 500, 'worker-a', 1000))).toBe(true)
    // Renewed until NOW + 1500: still held at NOW + 1200.
    expect(await store().executions.claim(record.id, claimAt(NOW + 1200, 'worker-b'))).toBeUndefined()
    expect(await store().executions.claim(record.id, claimAt(NOW + 1500, 'worker-b'))).toBeDefined()
    expect(await store().executions.renew(record.id, claimAt(NOW + 1600, 'worker-a'))).toBe(false)
  })

  it('does not renew a claim once the execution is final', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a'))
    await store().executions.update(record.id, { status: 'resolved', finishedAt: NOW + 1 })
    expect(await store().executions.renew(record.id, claimAt(NOW + 2, 'worker-a'))).toBe(false)
  })

  it('stores an execution already claimed when created with a claim', async () => {
    const record = execution({ status: 'started', startedAt: NOW, attempts: 1 })
    await store().executions.create(record, claimAt(NOW, 'sync-worker', 1000))
    expect(await store().executions.claim(record.id, claimAt(NOW + 999, 'worker-b'))).toBeUndefined()
    expect(await store().executions.claimable({ now: NOW + 999, limit: 10 })).toEqual([])
    expect(await store().executions.renew(record.id, claimAt(NOW + 999, 'sync-worker'))).toBe(true)
  })

  it('lists claimable executions oldest first: queued, and started ones whose claim expired', async () => {
    const expired = await stored()
    const held = await stored()
    const queued = await stored()
    await stored({ status: 'resolved', finishedAt: NOW })
    const later = await stored()
    await store().executions.claim(expired.id, claimAt(NOW - 2000, 'crashed', 1000))
    await store().executions.claim(held.id, claimAt(NOW, 'alive', 60_000))
    expect(await store().executions.claimable({ now: NOW, limit: 10 })).toEqual([expired.id, queued.id, later.id])
    expect(await store().executions.claimable({ now: NOW, limit: 2 })).toEqual([expired.id, queued.id])
  })
}
