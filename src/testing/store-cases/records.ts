/**
 * @module
 * Store suite: creating, reading and updating executions, unique event keys, and JSON round
 * trips.
 */
import { expect, it } from 'vitest'
import type { StoreContext } from './fixtures.js'

const RICH_CONTEXT = {
  headers: { 'x-request-id': 'r-1' },
  query: { page: '2', tags: ['a', 'b'] },
  body: { text: 'naïve ☃ 日本 \u0000 "quoted"', n: -1.5e-7, big: 2 ** 53 - 1, yes: true, none: null, deep: { list: [1, [2, [3]], {}] } },
  params: {},
  method: 'POST',
}

export function recordCases({ store, execution, stored }: StoreContext): void {
  it('gives back a created execution as it was stored, without jobs', async () => {
    const record = execution({ eventKey: 'evt-1', sync: true, status: 'started', startedAt: 5, attempts: 1 })
    const result = await store().executions.create(record)
    expect(result).toEqual({ created: true, execution: { ...record, jobs: [] } })
    expect(await store().executions.get(record.id)).toEqual({ ...record, jobs: [] })
  })

  it('gives back the execution a replay was made from, and no such field on others', async () => {
    const first = await stored()
    const replay = await stored({ replayOf: first.id })
    expect((await store().executions.get(replay.id))?.replayOf).toBe(first.id)
    expect(await store().executions.get(first.id)).not.toHaveProperty('replayOf')
    expect((await store().executions.list({ limit: 1 }))[0]?.replayOf).toBe(first.id)
  })

  it('answers undefined for an id it never stored', async () => {
    expect(await store().executions.get('no-such-execution')).toBeUndefined()
  })

  it('round-trips context, response and error as JSON', async () => {
    const record = execution({
      context: RICH_CONTEXT,
      response: { statusCode: 201, headers: [{ name: 'x-a', value: '1' }], body: { ok: [true, null] } },
      error: { message: 'boom', name: 'TypeError', code: 'E_BOOM' },
    })
    await store().executions.create(record)
    const got = await store().executions.get(record.id)
    expect(got?.context).toEqual(RICH_CONTEXT)
    expect(got?.response).toEqual(record.response)
    expect(got?.error).toEqual(record.error)
  })

  it('keeps what it stored when a caller changes a record it was given', async () => {
    const record = await stored({ context: { headers: {}, query: {}, body: { n: 1 }, params: {} }, error: { message: 'first' } })
    const got = (await store().executions.get(record.id))!
    ;(got.context.body as { n: number }).n = 2
    got.error!.message = 'changed'
    const again = await store().executions.get(record.id)
    expect(again?.context.body).toEqual({ n: 1 })
    expect(again?.error).toEqual({ message: 'first' })
  })

  it('updates only the fields a patch names', async () => {
    const record = await stored({ reason: 'kept' })
    await store().executions.update(record.id, { status: 'failed', finishedAt: 99, error: { message: 'no' } })
    expect(await store().executions.get(record.id)).toEqual({ ...record, status: 'failed', finishedAt: 99, error: { message: 'no' }, jobs: [] })
    await store().executions.update(record.id, { response: { statusCode: 500, headers: [], body: 'late' } })
    expect((await store().executions.get(record.id))?.response).toEqual({ statusCode: 500, headers: [], body: 'late' })
  })

  it('clears a field patched to null', async () => {
    const record = await stored({ status: 'failed', reason: 'timeout', error: { message: 'x' }, finishedAt: 9 })
    await store().executions.update(record.id, { status: 'queued', reason: null, error: null, finishedAt: null })
    expect(await store().executions.get(record.id)).toMatchObject({ status: 'queued', reason: null, error: null, finishedAt: null })
  })

  it('refuses to update an execution it does not hold', async () => {
    await expect(store().executions.update('no-such-execution', { status: 'resolved' })).rejects.toThrow()
  })

  it('refuses a second execution with an id it holds', async () => {
    const record = await stored()
    await expect(store().executions.create({ ...execution(), id: record.id })).rejects.toThrow()
  })

  it('creates one execution for 50 parallel creates with one event key, and gives every other caller that one', async () => {
    const records = Array.from({ length: 50 }, () => execution({ eventKey: 'delivery-42' }))
    const results = await Promise.all(records.map((record) => store().executions.create(record)))
    const created = results.filter((result) => result.created)
    expect(created).toHaveLength(1)
    const first = created[0]!.execution
    for (const result of results) expect(result.execution.id).toBe(first.id)
    expect(results.filter((result) => !result.created).map((result) => result.execution)).toEqual(Array(49).fill({ ...first, jobs: [] }))
    expect(await store().executions.list({ limit: 100 })).toHaveLength(1)
  })

  it('keeps an event key taken after its execution finished', async () => {
    const first = await stored({ eventKey: 'evt-done' })
    await store().executions.update(first.id, { status: 'resolved', finishedAt: 1 })
    const again = await store().executions.create(execution({ eventKey: 'evt-done' }))
    expect(again.created).toBe(false)
    expect(again.execution).toMatchObject({ id: first.id, status: 'resolved' })
  })

  it('stores any number of executions without an event key', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store().executions.create(execution())))
    expect(results.every((result) => result.created)).toBe(true)
  })

  it('frees the event key of a deleted execution', async () => {
    const first = await stored({ eventKey: 'evt-deleted' })
    expect(await store().executions.delete(first.id)).toBe(true)
    expect((await store().executions.create(execution({ eventKey: 'evt-deleted' }))).created).toBe(true)
  })

  it('deletes an execution with its jobs, and answers false for one it does not hold', async () => {
    const record = await stored()
    await store().jobs.save(record.id, [{ index: 0, nodeKey: 'a', type: 't', status: 'resolved', result: 1, error: null, startedAt: 1, finishedAt: 2 }])
    expect(await store().executions.delete(record.id)).toBe(true)
    expect(await store().executions.get(record.id)).toBeUndefined()
    expect(await store().jobs.list(record.id)).toEqual([])
    expect(await store().executions.delete(record.id)).toBe(false)
  })
}
