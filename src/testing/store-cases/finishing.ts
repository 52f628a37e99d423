/**
 * @module
 * Store suite: `executions.finish`, a run's last jobs and its new state in one write, both only
 * while the owner holds the claim. Skipped for a store without it (the engine then saves and
 * updates one after the other).
 */
import { expect, it } from 'vitest'
import type { ExecutionStore } from '../../storage/store.js'
import { claimAt, job, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 4_000_000
const END = { status: 'resolved', finishedAt: NOW + 10 } as const
const CANCEL = { status: 'aborted', reason: 'canceled', finishedAt: NOW + 5 } as const

export function finishingCases({ store, stored }: StoreContext): void {
  const finishOf = (skip: () => void): NonNullable<ExecutionStore['finish']> => {
    const { executions } = store()
    if (!executions.finish) skip()
    return executions.finish!.bind(executions)
  }

  it('stores the last jobs and the end for the owner, past its lease, replacing a job saved before', async ({ skip }) => {
    const finish = finishOf(skip)
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 1000))
    await store().jobs.save(record.id, [job(0), job(1, { status: 'waiting' })], { owner: 'worker-a' })
    const last = [job(1), job(2, { nodeKey: 'last', result: { done: true } })]
    expect(await finish(record.id, { ...END, response: { statusCode: 200, headers: [], body: 'ok' } }, last, { owner: 'worker-a' })).toBe(true)
    expect(await store().executions.get(record.id)).toMatchObject({ ...END, response: { statusCode: 200, body: 'ok' } })
    expect(await store().jobs.list(record.id)).toEqual([job(0), ...last])
  })

  it('stores a park: the waiting job, and queued until its wake time', async ({ skip }) => {
    const finish = finishOf(skip)
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    expect(await finish(record.id, { status: 'queued', wakeAt: NOW + 60_000 }, [job(0, { status: 'waiting' })], { owner: 'worker-a' })).toBe(true)
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'queued', wakeAt: NOW + 60_000 })
    expect(await store().jobs.list(record.id)).toEqual([job(0, { status: 'waiting' })])
    expect(await store().executions.claimable({ now: NOW + 1, limit: 10 })).not.toContain(record.id)
  })

  it('stores neither jobs nor state after a cancel, a takeover, or for an execution it does not know', async ({ skip }) => {
    const finish = finishOf(skip)
    const canceled = await stored()
    await store().executions.claim(canceled.id, claimAt(NOW, 'worker-a', 60_000))
    await store().jobs.save(canceled.id, [job(0)], { owner: 'worker-a' })
    await store().executions.update(canceled.id, CANCEL, { unfinished: true })
    expect(await finish(canceled.id, END, [job(1)], { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.get(canceled.id)).toMatchObject(CANCEL)
    expect(await store().jobs.list(canceled.id)).toEqual([job(0)])

    const taken = await stored()
    await store().executions.claim(taken.id, claimAt(NOW, 'worker-a', 1000))
    await store().executions.claim(taken.id, claimAt(NOW + 1000, 'worker-b', 60_000))
    expect(await finish(taken.id, END, [job(0)], { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.get(taken.id)).toMatchObject({ status: 'started', finishedAt: null })
    expect(await store().jobs.list(taken.id)).toEqual([])

    expect(await finish('no-such-execution', END, [job(0)], { owner: 'worker-a' })).toBe(false)
  })

  it('answers each of several finishes made at once for itself, the same execution twice included', async ({ skip }) => {
    const finish = finishOf(skip)
    const records = await Promise.all([stored(), stored(), stored()])
    for (const record of records) await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.update(records[1]!.id, CANCEL, { unfinished: true })
    const answers = await Promise.all(records.map((record, i) => finish(record.id, END, [job(0, { nodeKey: `n${i}` })], { owner: 'worker-a' })))
    expect(answers).toEqual([true, false, true])
    expect(await store().jobs.list(records[0]!.id)).toEqual([job(0, { nodeKey: 'n0' })])
    expect(await store().jobs.list(records[1]!.id)).toEqual([])
    expect(await store().jobs.list(records[2]!.id)).toEqual([job(0, { nodeKey: 'n2' })])

    const twice = await stored()
    await store().executions.claim(twice.id, claimAt(NOW, 'worker-a', 60_000))
    const both = await Promise.all([finish(twice.id, END, [job(0)], { owner: 'worker-a' }), finish(twice.id, { ...END, finishedAt: NOW + 20 }, [job(1)], { owner: 'worker-a' })])
    // The first write to arrive ends the run; the other finds it final and stores nothing.
    expect([...both].sort()).toEqual([false, true])
    const jobs = await store().jobs.list(twice.id)
    expect(jobs).toHaveLength(1)
    expect((await store().executions.get(twice.id))?.finishedAt).toBe(both[0] ? NOW + 10 : NOW + 20)
  })
}
