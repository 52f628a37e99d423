/**
 * The scale scenario (`npm run bench -- --scale` alone, or at the end of a full run): async
 * executions per second drained by 1, 2 and 4 worker processes on Postgres, through BullMQ and
 * through the Postgres store's own queue, with the speed-up over one worker.
 *
 * Each measurement: a fresh schema (and BullMQ queue) and the worker processes, loaded but not
 * yet working; a receiver-only engine in this process stores and enqueues `count` executions of
 * the workload's async workflow (`engine.trigger`, the path a webhook takes after parsing); then
 * every worker is told to start at once, and the time is the store's own record, from the first
 * claim to the last finish. So it measures what the workers drain, not how fast one process can ingest. Workers are not
 * pinned: on a machine with fewer cores than workers (plus Postgres and Redis), the speed-up is
 * capped by the cores, not by hookflow.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { connect } from 'node:net'
import { createEngine } from '../dist/index.js'
import { createPostgresStore } from '../dist/storage/postgres/index.js'
import { createBullmqQueue } from '../dist/queue/bullmq/index.js'
import { asyncWorkflow, body } from './workload.js'
import { fmt } from './lib/report.js'

const PG_URL = process.env.HOOKFLOW_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.HOOKFLOW_REDIS_URL ?? 'redis://127.0.0.1:6379'
const WORKERS = [1, 2, 4]
const MODES = ['bullmq', 'postgres'] as const
type Mode = (typeof MODES)[number]

export interface ScaleResult {
  mode: Mode
  workers: number
  count: number
  ms: number
  perSecond: number
}

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    return `Postgres at ${PG_URL}: ${(error as Error).message}`
  } finally {
    await client.end().catch(() => undefined)
  }
  // A bare PING, so the check leaves no key behind.
  const { hostname, port } = new URL(REDIS_URL)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) })
    const done = (problem: string | undefined): void => {
      socket.destroy()
      resolve(problem && `Redis at ${REDIS_URL}: ${problem}`)
    }
    socket.setTimeout(3000, () => done('no answer in 3 s'))
    socket.once('error', (error) => done(error.message))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG') ? undefined : chunk.toString().trim()))
  })
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./servers/scale-worker.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`scale worker exited with ${code} before it was loaded`)))
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'loaded' && resolve(child))
  })
}

async function stopWorker(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit')
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

async function measureOne(mode: Mode, workers: number, count: number): Promise<ScaleResult> {
  const schema = `hookflow_bench_scale_${randomBytes(4).toString('hex')}`
  const prefix = `hookflow-bench-${randomBytes(4).toString('hex')}`
  const queueName = 'scale'
  const store = createPostgresStore({ connectionString: PG_URL, max: 10 }, { schema })
  await store.migrate()
  const env = { MODE: mode, PG_URL, SCHEMA: schema, REDIS_URL, QUEUE: queueName, PREFIX: prefix }
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(env)))
  // The receiver: stores and enqueues, never runs.
  const queue = mode === 'bullmq' ? createBullmqQueue({ connection: REDIS_URL, queueName, prefix, store: store.executions }) : undefined
  const receiver = createEngine({ store, worker: false, ...(queue ? { queue } : {}) })
  receiver.register(asyncWorkflow)
  const context = { headers: { 'x-request-id': 'req-0001' }, query: { source: 'bench', attempt: '1' }, body: JSON.parse(body) as unknown, params: {} }
  try {
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next++ < count) await receiver.trigger(asyncWorkflow.key, context)
    }))
    for (const child of children) child.stdin!.write('go\n')
    for (;;) {
      const { rows } = await store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".executions WHERE status <> 'resolved'`)
      if (rows[0]!.n === 0) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    // From the first claim to the last finish, as the store recorded them: a worker's start-up
    // (connections, BullMQ's scripts) is not part of what it drains per second.
    const { rows: [span] } = await store.pool.query<{ ms: string }>(`SELECT max(finished_at) - min(started_at) AS ms FROM "${schema}".executions`)
    const ms = Math.max(Number(span!.ms), 1)
    return { mode, workers, count, ms, perSecond: (count / ms) * 1000 }
  } finally {
    await Promise.all(children.map(stopWorker))
    if (queue) await queue.bullQueue.obliterate({ force: true }).catch(() => undefined)
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    // Closes the receiver's queue and store too.
    await receiver.close()
  }
}

export function scaleTable(results: ScaleResult[]): string[] {
  const lines = ['| queue | workers | executions | seconds | executions/s | speed-up over 1 worker |', '|---|---:|---:|---:|---:|---:|']
  for (const result of results) {
    const one = results.find((r) => r.mode === result.mode && r.workers === 1)
    const label = result.mode === 'bullmq' ? 'Postgres + BullMQ' : 'Postgres alone (SKIP LOCKED)'
    lines.push(`| ${label} | ${result.workers} | ${fmt(result.count)} | ${(result.ms / 1000).toFixed(2)} | ${fmt(result.perSecond)} | ${one ? `${(result.perSecond / one.perSecond).toFixed(2)}x` : ''} |`)
  }
  return lines
}

/** Runs the scenario and prints its table; resolves with the results, or undefined when skipped. */
export async function runScale(options: { count: number }): Promise<ScaleResult[] | undefined> {
  const unreachable = await reachable()
  if (unreachable) {
    console.log(`\nscale: skipped, ${unreachable} (set HOOKFLOW_PG_URL / HOOKFLOW_REDIS_URL)`)
    return undefined
  }
  const results: ScaleResult[] = []
  for (const mode of MODES) {
    for (const workers of WORKERS) {
      const result = await measureOne(mode, workers, options.count)
      console.log(`scale: ${mode}, ${workers} worker(s): ${fmt(result.perSecond)} executions/s`)
      results.push(result)
    }
  }
  console.log(`\nscale — async executions drained per second by worker processes (8 executions at once each), ${options.count} per run\n`)
  console.log(scaleTable(results).join('\n'))
  return results
}
