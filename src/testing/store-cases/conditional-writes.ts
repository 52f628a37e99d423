/**
 * @module
 * Store suite: writes conditioned on the claim. A running execution's writes (its jobs, its
 * park, its end) carry its owner and apply only while that owner holds the claim, so a worker
 * whose claim was taken over, released or ended by a cancel changes nothing; a cancel is a
 * write that applies only while the execution is not final.
 */
import { expect, it } from 'vitest'
import { claimAt, job, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 3_000_000
const END = { status: 'resolved', finishedAt: NOW + 10 } as const
const CANCEL = { status: 'aborted', reason: 'canceled', finishedAt: NOW + 5 } as const

export function conditionalWriteCases({ store, stored }: StoreContext): void {
  it('applies a write its owner makes while holding the claim, even past the lease, and answers true', async () => {
    const record = await stored()
    // The lease ran out long ago (the suite's clock is in the past), but no one took it over.
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 1000))
    expect(await store().jobs.save(record.id, [job(0)], { owner: 'worker-a' })).toBe(true)
    expect(await store().executions.update(record.id, END, { owner: 'worker-a' })).toBe(true)
    expect(await store().executions.get(record.id)).toMatchObject(END)
    expect(await store().jobs.list(record.id)).toEqual([job(0)])
  })

  it('refuses the writes of an owner whose claim another worker took over, changing nothing', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 1000))
    await store().executions.claim(record.id, claimAt(NOW + 1000, 'worker-b', 60_000))
    expect(await store().jobs.save(record.id, [job(0)], { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.update(record.id, END, { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'started', finishedAt: null })
    expect(await store().jobs.list(record.id)).toEqual([])
    expect(await store().executions.renew(record.id, claimAt(NOW + 1001, 'worker-b', 60_000))).toBe(true)
  })

  it('refuses an owner\'s writes once it released the claim, or the execution is queued or final', async () => {
    const record = await stored()
    expect(await store().executions.update(record.id, END, { owner: 'worker-a' })).toBe(false)
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.release?.(record.id, { owner: 'worker-a' })
    if (store().executions.release) expect(await store().executions.update(record.id, END, { owner: 'worker-a' })).toBe(false)
    const done = await stored()
    await store().executions.claim(done.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.update(done.id, CANCEL, { unfinished: true })
    expect(await store().jobs.save(done.id, [job(0)], { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.update(done.id, END, { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.get(done.id)).toMatchObject(CANCEL)
    expect(await store().executions.update('no-such-execution', END, { owner: 'worker-a' })).toBe(false)
    expect(await store().jobs.save('no-such-execution', [job(0)], { owner: 'worker-a' })).toBe(false)
  })

  it('cancels a queued, parked or started execution with an unfinished-only write, and refuses a final one', async () => {
    const queued = await stored()
    const parked = await stored()
    await store().executions.claim(parked.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.update(parked.id, { status: 'queued', wakeAt: NOW + 3_600_000 }, { owner: 'worker-a' })
    const started = await stored()
    await store().executions.claim(started.id, claimAt(NOW, 'worker-b', 60_000))
    for (const record of [queued, parked, started]) {
      expect(await store().executions.update(record.id, CANCEL, { unfinished: true }), record.id).toBe(true)
      expect(await store().executions.get(record.id)).toMatchObject(CANCEL)
      expect(await store().executions.update(record.id, { ...CANCEL, finishedAt: NOW + 6 }, { unfinished: true })).toBe(false)
      expect(await store().executions.get(record.id)).toMatchObject(CANCEL)
    }
    // Nothing claims a canceled execution any more, and its old owner cannot renew it.
    expect(await store().executions.claim(parked.id, claimAt(NOW + 3_600_000, 'worker-c'))).toBeUndefined()
    expect(await store().executions.renew(started.id, claimAt(NOW + 1, 'worker-b', 60_000))).toBe(false)
    expect(await store().executions.claimable({ now: NOW + 7_200_000, limit: 10 })).not.toContain(parked.id)
    expect(await store().executions.update('no-such-execution', CANCEL, { unfinished: true })).toBe(false)
  })
}
