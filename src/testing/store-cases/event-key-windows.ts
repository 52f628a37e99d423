/**
 * @module
 * Store suite: idempotency windows on event keys (contract B). A holder whose
 * `eventKeyExpiresAt` has passed by the new execution's `createdAt` gives its key up; one
 * without a window, or still inside it, keeps it. Atomic under concurrency.
 */
import { expect, it } from 'vitest'
import type { StoreContext } from './fixtures.js'

export function eventKeyWindowCases({ store, execution, stored }: StoreContext): void {
  it('reads back the window an execution was created with', async () => {
    const record = await stored({ eventKey: 'w-read', eventKeyExpiresAt: 1_900_000_000_000 })
    expect((await store().executions.get(record.id))?.eventKeyExpiresAt).toBe(1_900_000_000_000)
  })

  it('keeps a key without a window for good', async () => {
    const holder = await stored({ eventKey: 'w-forever' })
    const later = execution({ eventKey: 'w-forever', createdAt: holder.createdAt + 10 ** 12 })
    const result = await store().executions.create(later)
    expect(result.created).toBe(false)
    expect(result.execution.id).toBe(holder.id)
  })

  it('finds the holder while its window is still open', async () => {
    const holder = await stored({ eventKey: 'w-open', eventKeyExpiresAt: 10 ** 14 })
    const refused = execution({ eventKey: 'w-open' })
    const result = await store().executions.create(refused)
    expect(result.created).toBe(false)
    expect(result.execution).toMatchObject({ id: holder.id, eventKey: 'w-open' })
    expect(await store().executions.get(refused.id)).toBeUndefined()
  })

  it('hands an expired key to the new execution and clears it on the holder, nothing else', async () => {
    const holder = await stored({ eventKey: 'w-expired', eventKeyExpiresAt: 5, status: 'resolved', finishedAt: 4 })
    const next = execution({ eventKey: 'w-expired', eventKeyExpiresAt: 10 ** 14 })
    const result = await store().executions.create(next)
    expect(result).toEqual({ created: true, execution: { ...next, jobs: [] } })
    expect(await store().executions.get(holder.id)).toEqual({ ...holder, eventKey: null, jobs: [] })
    const third = await store().executions.create(execution({ eventKey: 'w-expired' }))
    expect(third.created).toBe(false)
    expect(third.execution.id).toBe(next.id)
  })

  it('treats a window ending exactly at the new creation time as passed', async () => {
    const next = execution({ eventKey: 'w-edge' })
    const holder = await stored({ eventKey: 'w-edge', eventKeyExpiresAt: next.createdAt, createdAt: next.createdAt - 1 })
    expect((await store().executions.create(next)).created).toBe(true)
    expect((await store().executions.get(holder.id))?.eventKey).toBeNull()
  })

  it('keeps the key one millisecond before the window ends', async () => {
    const next = execution({ eventKey: 'w-edge-1' })
    const holder = await stored({ eventKey: 'w-edge-1', eventKeyExpiresAt: next.createdAt + 1, createdAt: next.createdAt - 1 })
    expect(await store().executions.create(next)).toMatchObject({ created: false, execution: { id: holder.id } })
  })

  it('keeps the new holder’s key when the old holder is deleted', async () => {
    const holder = await stored({ eventKey: 'w-delete', eventKeyExpiresAt: 1 })
    const next = await stored({ eventKey: 'w-delete', eventKeyExpiresAt: 10 ** 14 })
    expect(await store().executions.delete(holder.id)).toBe(true)
    const again = await store().executions.create(execution({ eventKey: 'w-delete' }))
    expect(again).toMatchObject({ created: false, execution: { id: next.id } })
  })

  it('creates exactly one of 50 parallel executions with one key', async () => {
    const records = Array.from({ length: 50 }, () => execution({ eventKey: 'w-race', eventKeyExpiresAt: 10 ** 14 }))
    const results = await Promise.all(records.map((record) => store().executions.create(record)))
    const created = results.filter((result) => result.created)
    expect(created).toHaveLength(1)
    const winner = created[0]!.execution.id
    expect(results.every((result) => result.execution.id === winner)).toBe(true)
  })

  it('lets exactly one of 50 parallel executions take over an expired key', async () => {
    const holder = await stored({ eventKey: 'w-race-expired', eventKeyExpiresAt: 1 })
    const records = Array.from({ length: 50 }, () => execution({ eventKey: 'w-race-expired', eventKeyExpiresAt: 10 ** 14 }))
    const results = await Promise.all(records.map((record) => store().executions.create(record)))
    const created = results.filter((result) => result.created)
    expect(created).toHaveLength(1)
    const winner = created[0]!.execution.id
    expect(results.every((result) => result.execution.id === winner)).toBe(true)
    expect((await store().executions.get(holder.id))?.eventKey).toBeNull()
  })
}
