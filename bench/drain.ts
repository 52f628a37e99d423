/**
 * The Postgres drain alone (`node --import tsx bench/drain.ts`): how long one process takes to
 * run a backlog of COUNT stored executions, hookflow's own queue beside the hand-written
 * `SKIP LOCKED` loop of the durable scenario, in interleaved rounds. No HTTP: the backlog is
 * stored first (hookflow by a receiver-only engine, the loop by one multi-row INSERT), then the
 * clock runs from the worker's start to the last finished run. Also prints the CPU seconds the
 * node process and the Postgres server spent per 1,000 runs, and hookflow's statements per run.
 *
 *   node --import tsx bench/drain.ts --count=10000 --rounds=3 --concurrency=50 [--analyze]
 *
 * `--analyze` runs ANALYZE on hookflow's table once the backlog is stored, so the planner knows
 * it; without, the table is as a burst leaves it, statistics and all.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { createEngine } from '../dist/index.js'
import { createPostgresStore } from '../dist/storage/postgres/index.js'
import { asyncWorkflow, body } from './workload.js'
import { runBranch, type Delivery } from './servers/durable/hand-receive.js'

const PG_URL = process.env.HOOKFLOW_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}
const COUNT = arg('count', 10_000)
const ROUNDS = arg('rounds', 3)
const CONCURRENCY = arg('concurrency', 50)
const ANALYZE = process.argv.includes('--analyze')

/** CPU seconds (user + system) of every postgres process, from /proc. */
function postgresCpu(): number {
  const tick = 100
  let total = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      if (!name.startsWith('postgres')) continue
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12])) / tick
    } catch {
      // Gone meanwhile.
    }
  }
  return total
}

interface Measure {
  ms: number
  nodeCpu: number
  pgCpu: number
  statements?: number
}

async function measured(work: () => Promise<number | undefined>): Promise<Measure> {
  const cpu = process.cpuUsage()
  const pgBefore = postgresCpu()
  const started = performance.now()
  const statements = await work()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { ms, nodeCpu: (used.user + used.system) / 1e6, pgCpu: postgresCpu() - pgBefore, ...(statements === undefined ? {} : { statements }) }
}

const context = { headers: { 'x-request-id': 'req-0001' }, query: { source: 'bench', attempt: '1' }, body: JSON.parse(body) as unknown, params: {} }

async function hookflowDrain(): Promise<Measure> {
  const schema = `hookflow_drain_${randomBytes(4).toString('hex')}`
  const store = createPostgresStore({ connectionString: PG_URL, max: 10 }, { schema })
  await store.migrate()
  const receiver = createEngine({ store, worker: false })
  receiver.register(asyncWorkflow)
  let next = 0
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next++ < COUNT) await receiver.trigger(asyncWorkflow.key, context)
  }))
  // With statistics that know the backlog (without: what a table looks like right after a burst).
  if (ANALYZE) await store.pool.query(`ANALYZE "${schema}".executions`)
  const workerStore = createPostgresStore({ connectionString: PG_URL, max: 10 }, { schema })
  let statements = 0
  const query = workerStore.pool.query.bind(workerStore.pool)
  workerStore.pool.query = ((...args: Parameters<typeof query>) => {
    statements++
    return query(...args)
  }) as typeof query
  const worker = createEngine({ store: workerStore, queue: workerStore.createQueue({ concurrency: CONCURRENCY }) })
  worker.register(asyncWorkflow)
  let finished = 0
  let done: () => void
  const all = new Promise<void>((resolve) => (done = resolve))
  worker.on('execution:finished', () => void (++finished === COUNT && done()))
  try {
    return await measured(async () => {
      await worker.start()
      await all
      return statements
    })
  } finally {
    await worker.close()
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await receiver.close()
  }
}

async function handDrain(): Promise<Measure> {
  const schema = `hand_drain_${randomBytes(4).toString('hex')}`
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10 })
  await pool.query(`CREATE SCHEMA "${schema}"`)
  await pool.query(`CREATE TABLE "${schema}".deliveries (id bigserial PRIMARY KEY, status text NOT NULL, context json NOT NULL,
    result json, created_at bigint NOT NULL, finished_at bigint)`)
  await pool.query(`CREATE INDEX ON "${schema}".deliveries (id) WHERE status = 'queued'`)
  const delivery = JSON.stringify({ ...context, body: context.body })
  for (let from = 0; from < COUNT; from += 1000) {
    const n = Math.min(1000, COUNT - from)
    await pool.query(`INSERT INTO "${schema}".deliveries (status, context, created_at) SELECT 'queued', $1::json, $2 FROM generate_series(1, $3)`, [delivery, Date.now(), n])
  }
  const take = `SELECT id, context::text AS context FROM "${schema}".deliveries WHERE status = 'queued' ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED`
  const finish = `UPDATE "${schema}".deliveries AS d SET status = 'resolved', result = r.result::json, finished_at = $3
    FROM unnest($1::bigint[], $2::text[]) AS r (id, result) WHERE d.id = r.id`
  try {
    return await measured(async () => {
      let completed = 0
      while (completed < COUNT) {
        const client = await pool.connect()
        try {
          await client.query('BEGIN')
          const { rows } = await client.query<{ id: string; context: string }>(take)
          const results = rows.map((row) => JSON.stringify(runBranch(JSON.parse(row.context) as Delivery)))
          if (rows.length > 0) await client.query(finish, [rows.map((row) => row.id), results, Date.now()])
          await client.query('COMMIT')
          completed += rows.length
        } finally {
          client.release()
        }
      }
      return undefined
    })
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  }
}

const line = (name: string, m: Measure): string =>
  `${name.padEnd(9)} ${m.ms.toFixed(0).padStart(6)} ms  ${((COUNT / m.ms) * 1000).toFixed(0).padStart(6)} runs/s  node cpu ${((m.nodeCpu / COUNT) * 1e6).toFixed(0).padStart(4)} µs/run  postgres cpu ${((m.pgCpu / COUNT) * 1e6).toFixed(0).padStart(4)} µs/run` +
  (m.statements === undefined ? '' : `  statements ${(m.statements / COUNT).toFixed(2)}/run`)

console.log(`drain of ${COUNT} stored executions, hookflow's Postgres queue at concurrency ${CONCURRENCY} vs the hand-written loop (50 per transaction)`)
const ratios: number[] = []
for (let round = 1; round <= ROUNDS; round++) {
  const hand = await handDrain()
  const hook = await hookflowDrain()
  ratios.push(hand.ms / hook.ms)
  console.log(`round ${round}`)
  console.log(`  ${line('hand', hand)}`)
  console.log(`  ${line('hookflow', hook)}`)
  console.log(`  hookflow ÷ hand, speed: ${((hand.ms / hook.ms) * 100).toFixed(0)}%`)
}
ratios.sort((a, b) => a - b)
console.log(`median hookflow ÷ hand: ${(ratios[Math.floor(ratios.length / 2)]! * 100).toFixed(0)}%`)
