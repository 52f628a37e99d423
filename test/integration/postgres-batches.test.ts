import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import type { NewExecution } from '../../src/index.js'
import { createPostgresStore, type PostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// Calls made in one turn of the event loop share a statement (group commit). These check that a
// shared statement answers each call as a statement of its own would have.

const postgres = await postgresService()

function execution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    id: randomUUID(), workflowKey: 'orders', eventKey: null, sync: false, status: 'queued', reason: null,
    context: { headers: {}, query: {}, body: { n: 1 }, params: {} }, response: null, error: null,
    createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0, ...overrides,
  }
}

describe.skipIf(!postgres)('the Postgres store, calls made in one turn', () => {
  const service = postgres!
  const schema = testSchema('batches')
  const open: Array<{ store: PostgresStore; pool: pg.Pool }> = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map(async ({ store, pool }) => {
      await store.close()
      await pool.end()
    }))
  })

  /** A store on a pool of its own whose statements are counted. */
  async function counted(): Promise<{ store: PostgresStore; statements: string[] }> {
    const pool = new pg.Pool({ connectionString: service.url, max: 4 })
    const statements: string[] = []
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
    ;(pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      statements.push(String(args[0]))
      return query(...args)
    }
    const store = createPostgresStore({ pool }, { schema })
    await store.migrate()
    open.push({ store, pool })
    statements.length = 0
    return { store, statements }
  }

  const inserts = (statements: string[]): number => statements.filter((sql) => sql.startsWith('INSERT INTO') && sql.includes('executions')).length

  it('stores 30 creates of one turn in one statement, each readable after its promise resolves', async () => {
    const { store, statements } = await counted()
    const made = Array.from({ length: 30 }, () => execution())
    const results = await Promise.all(made.map((one) => store.executions.create(one)))
    expect(results.every((result) => result.created)).toBe(true)
    expect(inserts(statements)).toBe(1)
    for (const one of made) expect((await store.executions.get(one.id))?.context).toEqual(one.context)
  })

  it('fails only the create whose id is taken when it shares a turn with others', async () => {
    const { store } = await counted()
    const taken = execution()
    await store.executions.create(taken)
    const others = Array.from({ length: 5 }, () => execution())
    const settled = await Promise.allSettled([...others, { ...execution(), id: taken.id }].map((one) => store.executions.create(one)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'])
    for (const one of others) expect(await store.executions.get(one.id)).toBeDefined()
  })

  it('claims 40 executions of one turn in one statement, each once, counting the attempt', async () => {
    const { store, statements } = await counted()
    const made = Array.from({ length: 40 }, () => execution())
    for (const one of made) await store.executions.create(one)
    statements.length = 0
    const now = Date.now()
    const claims = await Promise.all(made.map((one) => store.executions.claim(one.id, { owner: 'w1', leaseMs: 60_000, now })))
    expect(claims.map((record) => record?.id)).toEqual(made.map((one) => one.id))
    expect(claims.every((record) => record?.status === 'started' && record.attempts === 1 && record.startedAt === now)).toBe(true)
    expect(statements.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(1)
  })

  it('claims each execution once when every id is asked for twice in one turn', async () => {
    const { store } = await counted()
    const made = Array.from({ length: 20 }, () => execution())
    for (const one of made) await store.executions.create(one)
    const now = Date.now()
    const claims = await Promise.all([...made, ...made].map((one) => store.executions.claim(one.id, { owner: 'w1', leaseMs: 60_000, now })))
    const claimed = claims.filter((record) => record !== undefined)
    expect(claimed.map((record) => record.id).sort()).toEqual(made.map((one) => one.id).sort())
  })

  it('claims an execution once when two stores claim it in the same turn', async () => {
    const a = await counted()
    const b = await counted()
    const ids = Array.from({ length: 20 }, () => execution())
    for (const one of ids) await a.store.executions.create(one)
    const now = Date.now()
    const [fromA, fromB] = await Promise.all([
      Promise.all(ids.map((one) => a.store.executions.claim(one.id, { owner: 'a', leaseMs: 60_000, now }))),
      Promise.all(ids.map((one) => b.store.executions.claim(one.id, { owner: 'b', leaseMs: 60_000, now }))),
    ])
    ids.forEach((_, i) => expect(Number(fromA[i] !== undefined) + Number(fromB[i] !== undefined)).toBe(1))
  })

  it('fails only the job save of a missing execution when saves share a turn', async () => {
    const { store, statements } = await counted()
    const made = Array.from({ length: 6 }, () => execution())
    for (const one of made) await store.executions.create(one)
    statements.length = 0
    const job = (index: number) => ({ index, nodeKey: 'n', type: 'end', status: 'resolved' as const, result: { index }, error: null, startedAt: 1, finishedAt: 2 })
    const settled = await Promise.allSettled([...made.map((one) => one.id), 'missing'].map((id, i) => store.jobs.save(id, [job(i)])))
    expect(settled.slice(0, 6).every((s) => s.status === 'fulfilled')).toBe(true)
    expect(settled[6]).toMatchObject({ status: 'rejected', reason: { message: 'Execution missing does not exist' } })
    for (const [i, one] of made.entries()) expect((await store.jobs.list(one.id)).map((saved) => saved.result)).toEqual([{ index: i }])
  })

  it('stores the final state of 20 executions in one statement, and fails only the missing one', async () => {
    const { store, statements } = await counted()
    const made = Array.from({ length: 20 }, () => execution())
    for (const one of made) await store.executions.create(one)
    statements.length = 0
    const final = (i: number) => ({ status: 'resolved' as const, reason: null, response: { statusCode: 200, headers: [], body: i }, error: null, finishedAt: 1000 + i })
    const settled = await Promise.allSettled([...made.map((one) => one.id), 'missing'].map((id, i) => store.executions.update(id, final(i))))
    expect(settled.slice(0, 20).every((s) => s.status === 'fulfilled')).toBe(true)
    expect(settled[20]).toMatchObject({ status: 'rejected', reason: { message: 'Execution missing does not exist' } })
    for (const [i, one] of made.entries()) expect(await store.executions.get(one.id)).toMatchObject({ status: 'resolved', finishedAt: 1000 + i, response: { body: i } })
    // One shared statement, then (as one row was missing) nothing re-run: a missing row is an answer, not a failure.
    expect(statements.filter((sql) => sql.startsWith('UPDATE')).length).toBe(1)
  })

  it('applies the held writes of one turn only where the owner still holds the claim, in one statement each', async () => {
    const { store, statements } = await counted()
    const made = Array.from({ length: 8 }, () => execution())
    for (const one of made) await store.executions.create(one)
    const now = Date.now()
    for (const one of made) await store.executions.claim(one.id, { owner: 'worker-a', leaseMs: 60_000, now })
    // Two of them were canceled meanwhile (stored aborted, as a cancel from anywhere does).
    const canceled = new Set([made[1]!.id, made[5]!.id])
    for (const id of canceled) expect(await store.executions.update(id, { status: 'aborted', reason: 'canceled', finishedAt: now }, { unfinished: true })).toBe(true)
    statements.length = 0
    const job = { index: 0, nodeKey: 'n', type: 'end', status: 'resolved' as const, result: 1, error: null, startedAt: 1, finishedAt: 2 }
    // Half are saved by their owner, half by a worker that lost (or never had) the claim.
    const owners = made.map((_, i) => (i % 2 === 0 ? 'worker-a' : 'worker-b'))
    const saved = await Promise.all(made.map((one, i) => store.jobs.save(one.id, [job], { owner: owners[i]! })))
    const ended = await Promise.all(made.map((one, i) => store.executions.update(one.id, { status: 'resolved', finishedAt: now + 1 }, { owner: owners[i]! })))
    const expected = made.map((one, i) => owners[i] === 'worker-a' && !canceled.has(one.id))
    expect(saved).toEqual(expected)
    expect(ended).toEqual(expected)
    expect(statements.filter((sql) => sql.startsWith('INSERT INTO') && sql.includes('jobs')).length).toBe(1)
    expect(statements.filter((sql) => sql.startsWith('UPDATE')).length).toBe(1)
    for (const [i, one] of made.entries()) {
      const stored = await store.executions.get(one.id)
      expect(stored?.status).toBe(canceled.has(one.id) ? 'aborted' : expected[i] ? 'resolved' : 'started')
      expect((await store.jobs.list(one.id)).length).toBe(expected[i] ? 1 : 0)
    }
  })

  it('announces a busy receiver\'s burst with fewer NOTIFYs than deliveries, and an idle process runs all of it', async () => {
    const busy = await counted()
    const idle = await counted()
    const ran: string[] = []
    const idleQueue = idle.store.createQueue({ concurrency: 50, pollIntervalMs: 60_000 })
    await idleQueue.start(async (id) => {
      if (!(await idle.store.executions.claim(id, { owner: 'idle', leaseMs: 60_000, now: Date.now() }))) return
      await idle.store.executions.update(id, { status: 'resolved', finishedAt: Date.now() })
      ran.push(id)
    })
    await idleQueue.idle()
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const busyQueue = busy.store.createQueue({ concurrency: 1, pollIntervalMs: 60_000 })
    await busyQueue.start(async (id) => {
      if (await busy.store.executions.claim(id, { owner: 'busy', leaseMs: 60_000, now: Date.now() })) await held
    })
    try {
      const first = execution()
      await busy.store.executions.create(first)
      await busyQueue.enqueue(first.id)
      await expect.poll(async () => (await busy.store.executions.get(first.id))?.status).toBe('started')
      const burst = Array.from({ length: 19 }, () => execution())
      await Promise.all(burst.map(async (one) => {
        await busy.store.executions.create(one)
        await busyQueue.enqueue(one.id)
      }))
      // (The idle process also runs what earlier tests left queued in the schema.)
      await expect.poll(() => burst.filter((one) => ran.includes(one.id)).length, { timeout: 10_000 }).toBe(19)
      const notifies = busy.statements.filter((sql) => sql.includes('pg_notify')).length
      expect(notifies).toBeGreaterThan(0)
      expect(notifies).toBeLessThan(19)
    } finally {
      release()
    }
  })
})
