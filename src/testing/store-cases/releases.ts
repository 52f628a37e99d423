/**
 * @module
 * Store suite: giving claims back. An owner releases a claim it holds (closing, or after a
 * failure) and the execution is claimable again at once or after a backoff; the claims of an
 * owner known dead are released together; `claimOwners` names who holds claims now.
 */
import { expect, it as vitestIt, type TestContext } from 'vitest'
import type { ExecutionStore } from '../../storage/store.js'
import { claimAt, T0, type StoreContext } from './fixtures.js'

const NOW = T0 + 2_000_000

export function releaseCases({ store, stored }: StoreContext): void {
  // The three methods are optional (stores written before them still work, waiting out leases):
  // a store without them skips these cases.
  const it = (name: string, run: () => Promise<void>): void =>
    void vitestIt(name, async (context: TestContext) => {
      const executions: ExecutionStore = store().executions
      if (!executions.release || !executions.claimOwners || !executions.releaseOwner) return context.skip('the store has no release, claimOwners and releaseOwner')
      await run()
    })
  const executions = (): Required<ExecutionStore> => store().executions as Required<ExecutionStore>
  it('releases a claim its owner holds: queued again, claimable at once, resumed as the next attempt', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    expect(await executions().release(record.id, { owner: 'worker-a' })).toBe(true)
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'queued', attempts: 1, startedAt: NOW })
    expect(await store().executions.claimable({ now: NOW + 1, limit: 10 })).toEqual([record.id])
    const again = await store().executions.claim(record.id, claimAt(NOW + 1, 'worker-b'))
    expect(again).toMatchObject({ status: 'started', attempts: 2, startedAt: NOW })
  })

  it('keeps a claim released with a wake time out of reach until then', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    expect(await executions().release(record.id, { owner: 'worker-a', wakeAt: NOW + 5000 })).toBe(true)
    expect(await store().executions.claimable({ now: NOW + 4999, limit: 10 })).toEqual([])
    expect(await store().executions.claim(record.id, claimAt(NOW + 4999, 'worker-b'))).toBeUndefined()
    expect(await store().executions.claim(record.id, claimAt(NOW + 5000, 'worker-b'))).toMatchObject({ attempts: 2 })
  })

  it('refuses to release a claim another owner holds, changing nothing', async () => {
    const record = await stored()
    await store().executions.claim(record.id, claimAt(NOW, 'worker-a', 60_000))
    expect(await executions().release(record.id, { owner: 'worker-b' })).toBe(false)
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'started' })
    expect(await store().executions.claim(record.id, claimAt(NOW + 1, 'worker-b'))).toBeUndefined()
    expect(await store().executions.renew(record.id, claimAt(NOW + 1, 'worker-a', 60_000))).toBe(true)
  })

  it('refuses to release a final execution or one taken over since', async () => {
    const finished = await stored()
    await store().executions.claim(finished.id, claimAt(NOW, 'worker-a'))
    await store().executions.update(finished.id, { status: 'resolved', finishedAt: NOW + 1 })
    expect(await executions().release(finished.id, { owner: 'worker-a' })).toBe(false)
    expect(await store().executions.get(finished.id)).toMatchObject({ status: 'resolved' })

    const taken = await stored()
    await store().executions.claim(taken.id, claimAt(NOW, 'worker-a', 1000))
    await store().executions.claim(taken.id, claimAt(NOW + 1000, 'worker-b', 60_000))
    expect(await executions().release(taken.id, { owner: 'worker-a' })).toBe(false)
    expect(await executions().release('no-such-execution', { owner: 'worker-a' })).toBe(false)
  })

  it('names each owner of a claim still held once, leaving out expired and finished ones', async () => {
    const [a1, a2, b, expired, done] = [await stored(), await stored(), await stored(), await stored(), await stored()]
    await store().executions.claim(a1.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.claim(a2.id, claimAt(NOW, 'worker-a', 60_000))
    await store().executions.claim(b.id, claimAt(NOW, 'worker-b', 60_000))
    await store().executions.claim(expired.id, claimAt(NOW - 5000, 'worker-gone', 1000))
    await store().executions.claim(done.id, claimAt(NOW, 'worker-done', 60_000))
    await store().executions.update(done.id, { status: 'resolved', finishedAt: NOW })
    expect((await executions().claimOwners({ now: NOW })).sort()).toEqual(['worker-a', 'worker-b'])
  })

  it('releases every claim of one owner at once, and no other', async () => {
    const [a1, a2, b, queued] = [await stored(), await stored(), await stored(), await stored()]
    await store().executions.claim(a1.id, claimAt(NOW, 'dead-worker', 60_000))
    await store().executions.claim(a2.id, claimAt(NOW, 'dead-worker', 60_000))
    await store().executions.claim(b.id, claimAt(NOW, 'live-worker', 60_000))
    expect((await executions().releaseOwner('dead-worker')).sort()).toEqual([a1.id, a2.id].sort())
    expect((await store().executions.claimable({ now: NOW + 1, limit: 10 })).sort()).toEqual([a1.id, a2.id, queued.id].sort())
    expect(await store().executions.get(b.id)).toMatchObject({ status: 'started' })
    expect(await executions().claimOwners({ now: NOW + 1 })).toEqual(['live-worker'])
    expect(await executions().releaseOwner('dead-worker')).toEqual([])
  })
}
