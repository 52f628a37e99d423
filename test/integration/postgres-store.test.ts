import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { ExecutionPatch, NewExecution } from '../../src/index.js'
import { createPostgresStore, POSTGRES_SCHEMA_VERSION, type PostgresStore, PostgresStoreError } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

const postgres = await postgresService()

const T0 = 1_700_000_000_000

function execution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    id: randomUUID(), workflowKey: 'orders', eventKey: null, sync: false, status: 'queued', reason: null,
    context: { headers: {}, query: {}, body: { n: 1 }, params: {} }, response: null, error: null,
    createdAt: T0, startedAt: null, finishedAt: null, attempts: 0, ...overrides,
  }
}

/** Parks or wakes an execution (contract A's patch field). */
const patch = (fields: ExecutionPatch & { wakeAt?: number | null }): ExecutionPatch => fields

async function failure(promise: Promise<unknown>): Promise<PostgresStoreError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  expect(PostgresStoreError.is(error), String(error)).toBe(true)
  return error as PostgresStoreError
}

describe.skipIf(!postgres)('the Postgres store on a real server', () => {
  const service = postgres!
  const open: PostgresStore[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()))
  })
  /** A store on the test's pool (or its own, with `max`), in `schema`. */
  function store(schema: string, options: { max?: number; tablePrefix?: string } = {}): PostgresStore {
    const made = options.max
      ? createPostgresStore({ connectionString: service.url, max: options.max }, { schema, tablePrefix: options.tablePrefix })
      : createPostgresStore({ pool: service.pool }, { schema, tablePrefix: options.tablePrefix })
    open.push(made)
    return made
  }
  const schema = testSchema('store')
  let migrated: Promise<unknown> | undefined
  /** A store in this file's shared, migrated schema. */
  async function ready(options: { max?: number } = {}): Promise<PostgresStore> {
    const made = store(schema, options)
    migrated ??= made.migrate()
    await migrated
    return made
  }

  describe('migrate()', () => {
    it('creates the schema once, and finds nothing to do the second time', async () => {
      const fresh = store(testSchema('migrate'))
      expect(await fresh.migrate()).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1))
      expect(await fresh.migrate()).toEqual([])
      const { rows } = await service.pool.query(`SELECT version FROM "${fresh.schema}".migrations ORDER BY version`)
      expect(rows.map((row) => row.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1))
    })

    it('applies each migration exactly once when 6 processes migrate at the same time', async () => {
      const name = testSchema('race')
      // Separate pools: separate connections, as separate processes would have.
      const stores = Array.from({ length: 6 }, () => store(name, { max: 2 }))
      const applied = await Promise.all(stores.map((each) => each.migrate()))
      expect(applied.flat().sort()).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1))
      expect((await stores[0]!.executions.create(execution())).created).toBe(true)
    })

    it('refuses to work on a schema never migrated, naming the fix', async () => {
      const error = await failure(store(testSchema('missing')).executions.get('x'))
      expect(error).toMatchObject({ code: 'postgres_schema_missing', status: 503 })
      expect(error.message).toContain('migrate()')
    })

    it('works once migrate() ran, after a first refusal', async () => {
      const late = store(testSchema('late'))
      await failure(late.executions.list({ limit: 1 }))
      await late.migrate()
      expect(await late.executions.list({ limit: 1 })).toEqual([])
    })

    it('refuses a schema a newer hookflow migrated, in migrate() and in queries', async () => {
      const name = testSchema('newer')
      await store(name).migrate()
      await service.pool.query(`INSERT INTO "${name}".migrations (version, name) VALUES (999, 'from the future')`)
      const newer = store(name)
      expect(await failure(newer.migrate())).toMatchObject({ code: 'postgres_schema_newer' })
      expect(await failure(newer.executions.get('x'))).toMatchObject({ code: 'postgres_schema_newer' })
    })

    it('refuses to migrate over an executions table hookflow did not create', async () => {
      const name = testSchema('foreign')
      await service.pool.query(`CREATE SCHEMA "${name}"; CREATE TABLE "${name}".executions (id int)`)
      expect(await failure(store(name).migrate())).toMatchObject({ code: 'postgres_schema_conflict' })
    })

    it('migrates as a role that may create in its schema only, not in the database', async () => {
      const role = `hookflow_test_role_${randomUUID().slice(0, 8)}`
      const name = testSchema('granted')
      onTestFinished(async () => {
        await service.pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE; DROP ROLE IF EXISTS "${role}"`)
      })
      await service.pool.query(`CREATE ROLE "${role}" LOGIN; CREATE SCHEMA "${name}"; GRANT USAGE, CREATE ON SCHEMA "${name}" TO "${role}"`)
      const url = new URL(service.url)
      url.username = role
      const limited = createPostgresStore({ connectionString: url.toString(), max: 1 }, { schema: name })
      open.push(limited)
      expect(await limited.migrate()).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1))
      expect((await limited.executions.create(execution())).created).toBe(true)
      await limited.close()
    })

    it('keeps stores with different table prefixes in one schema apart', async () => {
      const name = testSchema('prefix')
      const a = store(name, { tablePrefix: 'a_' })
      const b = store(name, { tablePrefix: 'b_' })
      await Promise.all([a.migrate(), b.migrate()])
      const record = execution({ eventKey: 'shared-key' })
      await a.executions.create(record)
      expect(await b.executions.get(record.id)).toBeUndefined()
      expect((await b.executions.create(execution({ eventKey: 'shared-key' }))).created).toBe(true)
    })
  })

  describe('options', () => {
    it.each(['Hookflow', 'a"b', 'x; DROP TABLE t', 'pg_catalog', '', '1abc', 'a'.repeat(64)])('refuses the schema name %j', (name) => {
      expect(() => createPostgresStore({ pool: service.pool }, { schema: name })).toThrow(TypeError)
    })

    it('refuses a table prefix that is not a plain identifier', () => {
      expect(() => createPostgresStore({ pool: service.pool }, { tablePrefix: 'a-b' })).toThrow(TypeError)
    })

    it('refuses a call without a connection', () => {
      expect(() => createPostgresStore({} as never)).toThrow(/connectionString/)
    })

    it('leaves a pool it was given open when it closes, and refuses work afterwards', async () => {
      const made = await ready()
      await made.close()
      expect((await service.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      expect(await failure(made.executions.get('x'))).toMatchObject({ code: 'postgres_closed' })
    })

    it('ends the pool it made when it closes', async () => {
      const made = await ready({ max: 2 })
      await made.executions.get('x')
      await made.close()
      expect(made.pool.ended).toBe(true)
    })

    it('reports an unreachable server as a PostgresStoreError with the cause', async () => {
      const url = new URL(service.url)
      url.port = '1'
      const made = createPostgresStore({ connectionString: url.toString() })
      open.push(made)
      const error = await failure(made.executions.get('x'))
      expect(error).toMatchObject({ code: 'postgres_query_failed', status: 503 })
      expect(error.cause).toBeDefined()
    })
  })

  describe('parked executions (wakeAt)', () => {
    it('neither lists nor claims a queued execution before its wakeAt, and does at that time', async () => {
      const made = await ready()
      const parked = execution({ wakeAt: T0 + 5000 })
      await made.executions.create(parked)
      expect(await made.executions.claimable({ now: T0 + 4999, limit: 1000 })).not.toContain(parked.id)
      expect(await made.executions.claim(parked.id, { owner: 'w', leaseMs: 1000, now: T0 + 4999 })).toBeUndefined()
      expect(await made.executions.claimable({ now: T0 + 5000, limit: 1000 })).toContain(parked.id)
      // Claiming leaves wakeAt as it was: simply in the past.
      expect(await made.executions.claim(parked.id, { owner: 'w', leaseMs: 1000, now: T0 + 5000 })).toMatchObject({
        status: 'started', attempts: 1, wakeAt: T0 + 5000,
      })
    })

    it('parks a running execution through update, claimable by any worker once due', async () => {
      const made = await ready()
      const record = execution()
      await made.executions.create(record)
      await made.executions.claim(record.id, { owner: 'first', leaseMs: 60_000, now: T0 })
      await made.executions.update(record.id, patch({ status: 'queued', wakeAt: T0 + 100 }))
      expect(await made.executions.claim(record.id, { owner: 'second', leaseMs: 60_000, now: T0 + 99 })).toBeUndefined()
      expect(await made.executions.claim(record.id, { owner: 'second', leaseMs: 60_000, now: T0 + 100 })).toMatchObject({ status: 'started', attempts: 2 })
    })

    it('treats a null wakeAt as due now', async () => {
      const made = await ready()
      const record = execution({ wakeAt: T0 + 10_000 })
      await made.executions.create(record)
      await made.executions.update(record.id, patch({ wakeAt: null }))
      expect(await made.executions.get(record.id)).toEqual({ ...record, wakeAt: undefined, jobs: [] })
      expect(await made.executions.claim(record.id, { owner: 'w', leaseMs: 1000, now: T0 })).toBeDefined()
    })
  })

  describe('event key windows (eventKeyExpiresAt)', () => {
    it('takes over a key whose window passed: the holder loses only its key', async () => {
      const made = await ready()
      const key = `evt-${randomUUID()}`
      const holder = execution({ eventKey: key, eventKeyExpiresAt: T0 + 1000, status: 'resolved', finishedAt: T0 + 1 })
      await made.executions.create(holder)
      const next = execution({ eventKey: key, eventKeyExpiresAt: T0 + 3000, createdAt: T0 + 1000 })
      expect(await made.executions.create(next)).toEqual({ created: true, execution: { ...next, jobs: [] } })
      expect(await made.executions.get(holder.id)).toEqual({ ...holder, eventKey: null, jobs: [] })
      expect(await made.executions.get(next.id)).toEqual({ ...next, jobs: [] })
    })

    it('keeps a key within its window, and one without a window for ever', async () => {
      const made = await ready()
      const windowed = execution({ eventKey: `evt-${randomUUID()}`, eventKeyExpiresAt: T0 + 1000 })
      const forever = execution({ eventKey: `evt-${randomUUID()}` })
      await made.executions.create(windowed)
      await made.executions.create(forever)
      const early = await made.executions.create(execution({ eventKey: windowed.eventKey, createdAt: T0 + 999 }))
      expect(early).toEqual({ created: false, execution: { ...windowed, jobs: [] } })
      const late = await made.executions.create(execution({ eventKey: forever.eventKey, createdAt: T0 + 10 ** 9 }))
      expect(late).toEqual({ created: false, execution: { ...forever, jobs: [] } })
    })

    it('creates exactly one of 50 parallel creates for an expired key, over 20 connections', async () => {
      const made = await ready({ max: 20 })
      const key = `evt-${randomUUID()}`
      const holder = execution({ eventKey: key, eventKeyExpiresAt: T0 + 10 })
      await made.executions.create(holder)
      const contenders = Array.from({ length: 50 }, () => execution({ eventKey: key, eventKeyExpiresAt: T0 + 10_000, createdAt: T0 + 100 }))
      const results = await Promise.all(contenders.map((record) => made.executions.create(record)))
      const created = results.filter((result) => result.created)
      expect(created).toHaveLength(1)
      for (const result of results) expect(result.execution.id).toBe(created[0]!.execution.id)
      expect((await made.executions.get(holder.id))?.eventKey).toBeNull()
      const { rows } = await service.pool.query(`SELECT count(*)::int AS n FROM "${schema}".executions WHERE event_key = $1`, [key])
      expect(rows).toEqual([{ n: 1 }])
    })

    it('creates exactly one of 50 parallel creates for a new key, over 20 connections', async () => {
      const made = await ready({ max: 20 })
      const key = `evt-${randomUUID()}`
      const results = await Promise.all(Array.from({ length: 50 }, () => made.executions.create(execution({ eventKey: key }))))
      expect(results.filter((result) => result.created)).toHaveLength(1)
      expect(new Set(results.map((result) => result.execution.id)).size).toBe(1)
    })
  })

  describe('claims under contention', () => {
    it('lets each of 40 executions be claimed by exactly one of 8 workers on separate connections', async () => {
      const made = await ready({ max: 16 })
      const records = Array.from({ length: 40 }, () => execution({ createdAt: T0 + 1 }))
      for (const record of records) await made.executions.create(record)
      const wins = await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          const won: string[] = []
          for (const record of records) {
            if (await made.executions.claim(record.id, { owner: `w${worker}`, leaseMs: 60_000, now: T0 + 2 })) won.push(record.id)
          }
          return won
        }),
      )
      expect(wins.flat().sort()).toEqual(records.map((record) => record.id).sort())
      const { rows } = await service.pool.query(`SELECT DISTINCT attempts FROM "${schema}".executions WHERE id = ANY($1)`, [records.map((r) => r.id)])
      expect(rows).toEqual([{ attempts: 1 }])
    })
  })

  describe('data', () => {
    it('reads the same through a pool that parses int8 as BigInt and json not at all', async () => {
      const types = {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (text: string) => BigInt(text) : oid === 114 ? (text: string) => text : pg.types.getTypeParser(oid, format),
      }
      const odd = new pg.Pool({ connectionString: service.url, max: 2, types })
      try {
        await ready()
        const made = createPostgresStore({ pool: odd }, { schema })
        const record = execution({ wakeAt: T0 + 1, response: { statusCode: 201, headers: [], body: { b: 1, a: [2] } } })
        await made.executions.create(record)
        expect(await made.executions.get(record.id)).toEqual({ ...record, jobs: [] })
      } finally {
        await odd.end()
      }
    })

    it('keeps the key order of a stored payload', async () => {
      const made = await ready()
      const record = execution({ context: { headers: {}, query: {}, params: {}, body: { zeta: 1, alpha: 2, mid: { b: 1, a: 2 } } } })
      await made.executions.create(record)
      const body = (await made.executions.get(record.id))!.context.body
      expect(JSON.stringify(body)).toBe('{"zeta":1,"alpha":2,"mid":{"b":1,"a":2}}')
    })
  })
})
