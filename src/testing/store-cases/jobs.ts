/**
 * @module
 * Store suite: jobs, saved in batches (insert or replace by index) and listed in index order.
 */
import { expect, it } from 'vitest'
import { job, type StoreContext } from './fixtures.js'

export function jobCases({ store, stored }: StoreContext): void {
  it('saves a batch of jobs and lists them in index order', async () => {
    const record = await stored()
    await store().jobs.save(record.id, [job(2), job(0), job(1)])
    expect(await store().jobs.list(record.id)).toEqual([job(0), job(1), job(2)])
  })

  it('replaces a job saved again at the same index, keeping the others', async () => {
    const record = await stored()
    await store().jobs.save(record.id, [job(0), job(1, { status: 'error', result: null, error: { message: 'first try' } })])
    await store().jobs.save(record.id, [job(1, { result: { second: true } }), job(2)])
    expect(await store().jobs.list(record.id)).toEqual([job(0), job(1, { result: { second: true } }), job(2)])
  })

  it('saves jobs one at a time as a run goes, each on top of the last', async () => {
    const record = await stored()
    for (let i = 0; i < 5; i++) await store().jobs.save(record.id, [job(i)])
    expect((await store().jobs.list(record.id)).map((saved) => saved.index)).toEqual([0, 1, 2, 3, 4])
  })

  it('round-trips job results and extra fields as JSON', async () => {
    const record = await stored()
    const rich = job(0, { result: { list: [1, 'two', null, { three: 3 }], text: 'ü\n"' }, flow: { branch: 'true' } })
    await store().jobs.save(record.id, [rich])
    expect(await store().jobs.list(record.id)).toEqual([rich])
  })

  it('keeps a job whose result is not JSON, with a note in place of the result', async () => {
    const record = await stored()
    await store().jobs.save(record.id, [job(0, { result: { n: 1n } })])
    const [saved] = await store().jobs.list(record.id)
    expect(saved).toMatchObject({ index: 0, status: 'resolved', result: null, error: { message: expect.stringContaining('JSON') } })
  })

  it('keeps jobs apart per execution, and lists none for an execution without any', async () => {
    const a = await stored()
    const b = await stored()
    await store().jobs.save(a.id, [job(0)])
    expect(await store().jobs.list(b.id)).toEqual([])
    expect(await store().jobs.list('no-such-execution')).toEqual([])
  })

  it('refuses jobs for an execution it does not hold', async () => {
    await expect(store().jobs.save('no-such-execution', [job(0)])).rejects.toThrow()
  })
}
