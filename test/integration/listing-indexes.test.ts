import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import type { NewExecution } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { listQuery as sqliteListQuery } from '../../src/storage/sqlite/list-query.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { listQuery as postgresListQuery } from '../../src/storage/postgres/list-query.js'
import { postgresNames } from '../../src/storage/postgres/names.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// The inspector's filtered pages (one workflow, one status, newest first) are served by the
// (workflow_key, status, created_at, seq) index, without a sort: checked in the query plans
// of the stores' own list queries, never by timing. And the migrations that add it (with
// replay_of) upgrade a store that holds executions already.

const postgres = await postgresService()
const dir = mkdtempSync(join(tmpdir(), 'hookflow-indexes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function execution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    id: randomUUID(), workflowKey: 'orders', eventKey: null, sync: false, status: 'failed', reason: null,
    context: { headers: {}, query: {}, body: { n: 1 }, params: {} }, response: null, error: null,
    createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0, ...overrides,
  }
}

const PAGE = { workflowKey: 'orders', status: 'failed' as const, limit: 51 }

describe('SQLite', () => {
  it('pages one workflow\'s executions of one status through the index, with no sort', async () => {
    const filename = join(dir, `${randomUUID()}.db`)
    await createSqliteStore({ filename }).close()
    const db = new Database(filename)
    try {
      for (const query of [sqliteListQuery(PAGE, undefined), sqliteListQuery({ ...PAGE, before: { createdAt: 5, id: 'x' } }, { created_at: 5, seq: 9 })]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>).map((row) => row.detail).join('\n')
        expect(plan).toMatch(/USING INDEX executions_workflow_status/)
        expect(plan).not.toMatch(/TEMP B-TREE/)
      }
    } finally {
      db.close()
    }
  })

  it('upgrades a file of the previous schema: its executions stay, replays and the index come', async () => {
    const filename = join(dir, `${randomUUID()}.db`)
    const store = createSqliteStore({ filename })
    const old = execution()
    await store.executions.create(old)
    await store.close()
    // The file as the previous version left it.
    const db = new Database(filename)
    db.exec('DROP INDEX executions_workflow_status; ALTER TABLE executions DROP COLUMN replay_of; PRAGMA user_version = 3')
    db.close()

    const upgraded = createSqliteStore({ filename })
    try {
      expect(await upgraded.executions.get(old.id)).toEqual({ ...old, jobs: [] })
      const replay = execution({ replayOf: old.id })
      await upgraded.executions.create(replay)
      expect((await upgraded.executions.get(replay.id))?.replayOf).toBe(old.id)
    } finally {
      await upgraded.close()
    }
    const check = new Database(filename, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(4)
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'executions_workflow_status'").get()).toBeTruthy()
    check.close()
  })
})

describe.skipIf(!postgres)('Postgres', () => {
  const service = postgres!

  it('pages one workflow\'s executions of one status through the index, with no sort, on 20,000 rows', async () => {
    const schema = testSchema('plan')
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    const names = postgresNames(schema)
    // 4 workflows, 6 statuses, spread over a day: the planner sees a table worth an index.
    await service.pool.query(`INSERT INTO ${names.executions} (id, workflow_key, sync, status, context, created_at)
      SELECT 'e' || i, 'wf-' || (i % 4), false, (ARRAY['queued','started','resolved','failed','error','aborted'])[1 + (i % 6)],
        '{"body":{}}'::json, 1700000000000 + i * 4000
      FROM generate_series(1, 20000) AS i`)
    await service.pool.query(`ANALYZE ${names.executions}`)
    const page = { workflowKey: 'wf-1', status: 'failed' as const, limit: 51 }
    for (const query of [postgresListQuery(names, page), postgresListQuery(names, { ...page, before: { createdAt: 1700040000000, id: 'e10000' } })]) {
      const { rows } = await service.pool.query(`EXPLAIN ${query.sql}`, query.values)
      const plan = rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n')
      expect(plan).toMatch(/Index Scan Backward using "?executions_workflow_status"?/)
      expect(plan).not.toMatch(/\bSort\b/)
    }
    await store.close()
  })

  it('upgrades a schema of the previous version: its executions stay, replays and the index come', async () => {
    const schema = testSchema('upgrade')
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    const old = execution()
    await store.executions.create(old)
    // The schema as version 1 left it.
    await service.pool.query(`DROP INDEX "${schema}".executions_workflow_status; ALTER TABLE "${schema}".executions DROP COLUMN replay_of;
      DELETE FROM "${schema}".migrations WHERE version = 2`)
    const outdated = createPostgresStore({ pool: service.pool }, { schema })
    await expect(outdated.executions.get(old.id)).rejects.toMatchObject({ code: 'postgres_schema_outdated' })
    await outdated.close()

    const upgraded = createPostgresStore({ pool: service.pool }, { schema })
    expect(await upgraded.migrate()).toEqual([2])
    expect(await upgraded.executions.get(old.id)).toEqual({ ...old, jobs: [] })
    const replay = execution({ replayOf: old.id })
    await upgraded.executions.create(replay)
    expect((await upgraded.executions.get(replay.id))?.replayOf).toBe(old.id)
    await upgraded.close()
    await store.close()
  })
})
