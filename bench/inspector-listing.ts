/**
 * The inspector's listing at scale: with 100,000 executions stored (SQLite on a file, and
 * Postgres), how long a page of 50 takes, filtered by workflow and status, first page and
 * deep pages, through the engine and through the inspector's own API (`inspector.fetch`, JSON
 * included); and the counts of the last 24 hours that `GET api/workflows` shows.
 *
 * ```sh
 * npx tsup && node --import tsx bench/inspector-listing.ts              # 100,000 executions
 * npx tsup && node --import tsx bench/inspector-listing.ts --count=20000 --runs=50
 * ```
 *
 * The rows are written straight into the tables (as the stores write them: same columns, a
 * ~400-byte context), 10 workflows, statuses as a busy system has them (90% resolved, 4%
 * failed, 3% error, 1% aborted, 1% queued, 1% started), created over the last 48 hours. Each
 * figure is the median (and p95, max) of `runs` calls after 5 warm-up calls. At the end the
 * index is dropped and the filtered pages are measured again, to show what it buys, then built
 * again, timed: what the migration that adds it costs on a store of that size.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { createEngine, type Engine, WebhookTrigger } from '../dist/index.js'
import { createSqliteStore } from '../dist/storage/sqlite/index.js'
import { createPostgresStore } from '../dist/storage/postgres/index.js'
import { createInspector } from '../dist/inspector/index.js'

const PG_URL = process.env.HOOKFLOW_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}
const COUNT = arg('count', 100_000)
const RUNS = arg('runs', 200)
const WORKFLOWS = 10
const NOW = Date.now()
const SPAN = 48 * 3600_000
const CONTEXT = JSON.stringify({
  headers: { 'x-request-id': 'req-0123456789abcdef', 'content-type': 'application/json' },
  query: { source: 'bench', page: '1' },
  body: { id: 'evt_0123456789abcdef', type: 'payment.succeeded', amount: 2500, currency: 'eur', customer: { id: 'cus_42', email: 'ada@example.com', name: 'Ada Lovelace' }, items: [{ sku: 'a-1', qty: 2 }, { sku: 'b-7', qty: 1 }], note: 'x'.repeat(120) },
  params: {},
  method: 'POST',
})

/**
 * Status of row `i`: 90% resolved, 4% failed, 3% error, 1% aborted, 1% queued, 1% started, in
 * each workflow (row `i` is workflow `i % 10`; its rows cycle through all 100 residues of `* 37`).
 */
function statusOf(i: number): string {
  const r = (Math.floor(i / WORKFLOWS) * 37) % 100
  return r < 90 ? 'resolved' : r < 94 ? 'failed' : r < 97 ? 'error' : r < 98 ? 'aborted' : r < 99 ? 'queued' : 'started'
}
const R = `((i / ${WORKFLOWS}) * 37) % 100`
const STATUS_SQL = `CASE WHEN ${R} < 90 THEN 'resolved' WHEN ${R} < 94 THEN 'failed' WHEN ${R} < 97 THEN 'error'
  WHEN ${R} < 98 THEN 'aborted' WHEN ${R} < 99 THEN 'queued' ELSE 'started' END`

interface Figures {
  median: number
  p95: number
  max: number
}

async function measure(run: () => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < 5; i++) await run()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
  return { median: at(0.5), p95: at(0.95), max: times[times.length - 1]! }
}

const ms = (value: number): string => `${value.toFixed(2)} ms`
const rows: Array<[string, string, Figures]> = []
function report(store: string, what: string, figures: Figures): void {
  rows.push([store, what, figures])
  console.log(`${store.padEnd(9)} ${what.padEnd(58)} median ${ms(figures.median).padStart(10)}  p95 ${ms(figures.p95).padStart(10)}  max ${ms(figures.max).padStart(10)}`)
}

/** The cursor of page `n` (1-based) of a filtered list, by following nextCursor. */
async function cursorOfPage(engine: Engine, n: number, query: { workflowKey: string; status: 'failed' }): Promise<string | undefined> {
  let cursor: string | undefined
  for (let page = 1; page < n; page++) {
    const items = await engine.listExecutions({ ...query, limit: 50, ...(cursor ? { cursor } : {}) })
    if (items.length < 50) return cursor
    cursor = items[items.length - 1]!.id
  }
  return cursor
}

async function scenarios(name: string, engine: Engine): Promise<void> {
  const trigger = new WebhookTrigger({ engine })
  const inspector = createInspector({ engine, trigger, auth: false })
  const get = async (path: string): Promise<unknown> => (await inspector.fetch(new Request(`http://bench${path}`))).json()
  const filtered = { workflowKey: 'wf-3', status: 'failed' as const }
  const matching = (await engine.listExecutions({ ...filtered, limit: 1000 })).length
  console.log(`${name}: wf-3 has ${matching >= 1000 ? '1000+' : matching} failed executions`)
  report(name, 'engine.listExecutions, workflow + status, first page of 50', await measure(() => engine.listExecutions({ ...filtered, limit: 51 })))
  const deep = await cursorOfPage(engine, 5, filtered)
  report(name, 'engine.listExecutions, workflow + status, page 5 (cursor)', await measure(() => engine.listExecutions({ ...filtered, limit: 51, ...(deep ? { cursor: deep } : {}) })))
  report(name, 'engine.listExecutions, workflow + rare status (aborted)', await measure(() => engine.listExecutions({ workflowKey: 'wf-3', status: 'aborted', limit: 51 })))
  report(name, 'GET api/executions?workflow&status&limit=50 (inspector.fetch)', await measure(() => get('/hookflow/api/executions?workflow=wf-3&status=failed&limit=50')))
  report(name, 'GET api/executions?limit=50, no filter', await measure(() => get('/hookflow/api/executions?limit=50')))
  report(name, 'GET api/executions?status=error&limit=50, status only', await measure(() => get('/hookflow/api/executions?status=error&limit=50')))
  report(name, 'GET api/workflows (counts over 24 hours)', await measure(() => get('/hookflow/api/workflows')))
  inspector.close()
}

async function withoutIndex(name: string, engine: Engine): Promise<void> {
  report(name, 'no index: workflow + status, first page of 50', await measure(() => engine.listExecutions({ workflowKey: 'wf-3', status: 'failed', limit: 51 })))
  report(name, 'no index: workflow + rare status (aborted)', await measure(() => engine.listExecutions({ workflowKey: 'wf-3', status: 'aborted', limit: 51 })))
}

function register(engine: Engine): void {
  for (let w = 0; w < WORKFLOWS; w++) engine.register({ key: `wf-${w}`, trigger: { type: 'webhook', id: `wf-${w}` }, nodes: [] })
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-listing-'))
  const filename = join(dir, 'listing.db')
  try {
    await createSqliteStore({ filename }).close()
    const db = new Database(filename)
    const insert = db.prepare(`INSERT INTO executions (id, workflow_key, sync, status, context, created_at, started_at, finished_at, attempts)
      VALUES (?, ?, 0, ?, ?, ?, ?, ?, 1)`)
    const started = performance.now()
    db.transaction(() => {
      for (let i = 0; i < COUNT; i++) {
        const at = NOW - SPAN + Math.floor((i / COUNT) * SPAN)
        insert.run(`e${String(i).padStart(8, '0')}`, `wf-${i % WORKFLOWS}`, statusOf(i), CONTEXT, at, at, at + 3)
      }
    })()
    db.exec('ANALYZE')
    db.close()
    console.log(`SQLite: ${COUNT} executions written in ${Math.round(performance.now() - started)} ms`)
    const engine = createEngine({ store: createSqliteStore({ filename }) })
    register(engine)
    await scenarios('SQLite', engine)
    await engine.close()
    const raw = new Database(filename)
    raw.exec('DROP INDEX executions_workflow_status; ANALYZE')
    raw.close()
    const plain = createEngine({ store: createSqliteStore({ filename }) })
    register(plain)
    await withoutIndex('SQLite', plain)
    await plain.close()
    const again = new Database(filename)
    const building = performance.now()
    again.exec('CREATE INDEX executions_workflow_status ON executions (workflow_key, status, created_at, seq)')
    console.log(`SQLite: the index over ${COUNT} executions built in ${Math.round(performance.now() - building)} ms (what migration 4 costs)`)
    again.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function postgres(): Promise<void> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 4 })
  const schema = `hookflow_bench_listing_${randomBytes(4).toString('hex')}`
  try {
    await pool.query('SELECT 1')
  } catch (error) {
    console.log(`Postgres skipped: ${PG_URL}: ${(error as Error).message}`)
    await pool.end()
    return
  }
  try {
    const store = createPostgresStore({ pool }, { schema })
    await store.migrate()
    const started = performance.now()
    await pool.query(
      `INSERT INTO "${schema}".executions (id, workflow_key, sync, status, context, created_at, started_at, finished_at, attempts)
       SELECT 'e' || lpad(i::text, 8, '0'), 'wf-' || (i % ${WORKFLOWS}), false, ${STATUS_SQL}, $1::json,
         $2::bigint - $3::bigint + floor(i::float8 / $4 * $3)::bigint, $2::bigint - $3::bigint + floor(i::float8 / $4 * $3)::bigint,
         $2::bigint - $3::bigint + floor(i::float8 / $4 * $3)::bigint + 3, 1
       FROM generate_series(0, $4 - 1) AS i`,
      [CONTEXT, NOW, SPAN, COUNT],
    )
    await pool.query(`VACUUM ANALYZE "${schema}".executions`)
    console.log(`Postgres: ${COUNT} executions written in ${Math.round(performance.now() - started)} ms`)
    const engine = createEngine({ store })
    register(engine)
    await scenarios('Postgres', engine)
    await pool.query(`DROP INDEX "${schema}".executions_workflow_status`)
    await pool.query(`ANALYZE "${schema}".executions`)
    await withoutIndex('Postgres', engine)
    const building = performance.now()
    await pool.query(`CREATE INDEX executions_workflow_status ON "${schema}".executions (workflow_key, status, created_at, seq)`)
    console.log(`Postgres: the index over ${COUNT} executions built in ${Math.round(performance.now() - building)} ms (writes wait this long in migration 2)`)
    await engine.close()
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined)
    await pool.end()
  }
}

console.log(`${COUNT} executions, ${RUNS} runs per figure (Node ${process.version})`)
await sqlite()
await postgres()
