import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { claimableQuery, claimNextQuery, IN_CLAIM_ORDER } from '../../src/storage/postgres/claim-queries.js'
import { postgresNames } from '../../src/storage/postgres/names.js'
import { integerLiteral, textLiteral } from '../../src/storage/postgres/sql-literal.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// How a Postgres worker finds its work: the statements that read claimable executions carry
// their values as literals (checked here against the server, both ways it may read strings)
// and read along the pending index whatever the table's statistics say (checked in the plans,
// on a backlog the planner has no statistics for, never by timing).

const postgres = await postgresService()

describe('SQL literals', () => {
  it('refuses what it cannot write', () => {
    expect(() => textLiteral('a\0b')).toThrow(/NUL/)
    for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => integerLiteral(value)).toThrow(TypeError)
    expect(integerLiteral(-12)).toBe('-12')
  })
})

describe.skipIf(!postgres)('Postgres', () => {
  const service = postgres!

  it('reads every text literal back as it was, whatever standard_conforming_strings says', async () => {
    const texts = ["it's", "'; DROP TABLE x; --", 'back\\slash', "\\'", 'host:vm pid:1 ns:4026531836', 'ünï €', '']
    const client = await service.pool.connect()
    try {
      for (const conforming of ['on', 'off']) {
        await client.query(`SET standard_conforming_strings = ${conforming}`)
        for (const text of texts) {
          const { rows } = await client.query<{ value: string }>(`SELECT ${textLiteral(text)} AS value`)
          expect(rows[0]!.value, `${conforming}: ${text}`).toBe(text)
        }
      }
    } finally {
      await client.query('RESET standard_conforming_strings')
      client.release()
    }
  })

  it('reads claimable executions along the pending index, with no sort, on a backlog never analyzed', async () => {
    const schema = testSchema('claim_order')
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    const { executions } = postgresNames(schema)
    // 5,000 finished, 5,000 queued, a few running: what a drain leaves behind, no ANALYZE since.
    await service.pool.query(`INSERT INTO ${executions} (id, workflow_key, sync, status, context, created_at, owner, lease_until)
      SELECT 'e' || i, 'orders', false, CASE WHEN i <= 5000 THEN 'resolved' WHEN i <= 5010 THEN 'started' ELSE 'queued' END,
        '{"body":{}}'::json, 1700000000000 + i, CASE WHEN i BETWEEN 5001 AND 5010 THEN 'w' END, CASE WHEN i BETWEEN 5001 AND 5010 THEN 9e15 ELSE 0 END
      FROM generate_series(1, 10000) AS i`)
    const statements = [
      claimableQuery(executions, { now: 1800000000000, limit: 50 }),
      claimNextQuery(executions, { owner: 'worker-a', leaseMs: 30_000, now: 1800000000000, limit: 50 }),
    ]
    const settings = Object.entries(IN_CLAIM_ORDER).map(([name, value]) => `SET LOCAL ${name} = ${value}; `).join('')
    for (const sql of statements) {
      const client = await service.pool.connect()
      try {
        const results = (await client.query(`BEGIN; ${settings}EXPLAIN ${sql}`)) as unknown as Array<{ rows: Array<Record<string, string>> }>
        await client.query('ROLLBACK')
        const plan = results.at(-1)!.rows.map((row) => row['QUERY PLAN']).join('\n')
        expect(plan).toMatch(/Index Scan using "?executions_pending"?/)
        expect(plan).not.toMatch(/\bSort\b|Bitmap/)
      } finally {
        client.release()
      }
    }
    // And the store's own call claims the oldest queued ones.
    const claimed = await store.executions.claimNext!({ owner: 'worker-a', leaseMs: 30_000, now: 1800000000000, limit: 3 })
    expect(claimed.map((record) => record.id)).toEqual(['e5011', 'e5012', 'e5013'])
    await store.close()
  })

  it('drains a backlog stored before the worker started with one claim per execution, found by its polls', async () => {
    const schema = testSchema('claim_polls')
    const receiverStore = createPostgresStore({ pool: service.pool }, { schema })
    await receiverStore.migrate()
    const workflow = { key: 'polled', trigger: { type: 'webhook' as const, id: `polled-${randomUUID()}` }, nodes: [{ key: 'end', type: 'end' as const, config: { endStatus: 'resolved' as const } }] }
    const receiver = createEngine({ store: receiverStore, worker: false, logger: false })
    receiver.register(workflow)
    const ids = await Promise.all(Array.from({ length: 120 }, async () => (await receiver.trigger('polled', {})).id))

    const workerStore = createPostgresStore({ connectionString: service.url, max: 4 }, { schema })
    let claimsById = 0
    const claim = workerStore.executions.claim.bind(workerStore.executions)
    workerStore.executions.claim = async (...args) => (claimsById++, claim(...args))
    const worker = createEngine({ store: workerStore, queue: workerStore.createQueue({ concurrency: 16 }), logger: false })
    worker.register(workflow)
    await worker.start()
    await worker.idle()
    for (const id of ids) expect(await receiverStore.executions.get(id)).toMatchObject({ status: 'resolved', attempts: 1 })
    expect(claimsById).toBe(0)
    await worker.close()
    await receiver.close()
  })
})

describe.skipIf(!postgres)('Postgres, deliveries arriving while workers are free', () => {
  const service = postgres!

  it('runs each once and at once: none is left claimed to wait for its lease', { timeout: 25_000 }, async () => {
    const schema = testSchema('claim_arrivals')
    const store = createPostgresStore({ connectionString: service.url, max: 6 }, { schema })
    await store.migrate()
    // Polls every millisecond with workers to spare: an arrival handed to a worker to claim by
    // id would race them, and a poll that won would leave it claimed and never run.
    const engine = createEngine({ store, queue: store.createQueue({ concurrency: 50, pollIntervalMs: 1 }), logger: false })
    engine.register({ key: 'arrivals', trigger: { type: 'webhook', id: `arrivals-${randomUUID()}` }, nodes: [{ key: 'end', type: 'end', config: { endStatus: 'resolved' } }] })
    await engine.start()
    const ids: string[] = []
    for (let i = 0; i < 300; i++) ids.push((await engine.trigger('arrivals', {})).id)
    // Well within the 30 s lease: an execution claimed and then dropped would hold idle() past it.
    await engine.idle()
    const records = await Promise.all(ids.map((id) => store.executions.get(id)))
    expect(records.filter((record) => record?.status !== 'resolved' || record.attempts !== 1)).toEqual([])
    await engine.close()
  })
})
