/**
 * The durable scenario (`npm run bench -- --durable` alone, or in a full run): hookflow's
 * async path on memory, SQLite, Postgres and BullMQ beside the receiver a team writes by hand
 * on the same store, each doing the durable contract's work (Basic auth, the ~300-byte JSON
 * body, stored before the answer, then the branch run and its outcome recorded).
 *
 * Per server and round: a warm-up, then `seconds` of load at 100 connections (accepted per
 * second, p99, and how long the backlog left at the end takes to run), then a burst of `burst`
 * deliveries at 100 connections, timed until the last one has run. Rounds interleave every
 * server, each pair back to back; figures are medians of the rounds, ratios are per round.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Redis } from 'ioredis'
import { load, type LoadResult } from './lib/load.js'
import { type BenchServer, spawnServer } from './lib/spawn-server.js'
import { fmt } from './lib/report.js'
import { PATH_ASYNC } from './workload.js'

const PG_URL = process.env.HOOKFLOW_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.HOOKFLOW_REDIS_URL ?? 'redis://127.0.0.1:6379'
const DRAIN_TIMEOUT_MS = 180_000

export interface DurableServer {
  name: string
  store: 'memory' | 'sqlite' | 'postgres' | 'postgres-default' | 'bullmq' | 'bullmq-recorded' | 'bullmq-50'
  /** A hand-written receiver compared with another store's hookflow server (default: its own store's). */
  pairsWith?: DurableServer['store']
  hand: boolean
  script: string
  env?: Record<string, string>
  expectStatus: number
  /** Shown in the table, left out of the ratios (another configuration, or another build). */
  extra?: boolean
}

// The hand-written SQLite and Postgres loops take up to 50 rows at a time; hookflow's store
// queues get the same width (`concurrency: 50`), and its Postgres default (8) is shown too.
export const DURABLE_SERVERS: DurableServer[] = [
  { name: 'hand-written node:http, memory', store: 'memory', hand: true, script: 'servers/durable/memory-hand.ts', expectStatus: 200 },
  { name: 'hookflow/node, memory', store: 'memory', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'memory' }, expectStatus: 200 },
  { name: 'hand-written better-sqlite3', store: 'sqlite', hand: true, script: 'servers/durable/sqlite-hand.ts', expectStatus: 200 },
  { name: 'hookflow/sqlite', store: 'sqlite', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'sqlite', CONCURRENCY: '50' }, expectStatus: 200 },
  { name: 'hand-written pg (SKIP LOCKED)', store: 'postgres', hand: true, script: 'servers/durable/pg-hand.ts', expectStatus: 200 },
  { name: 'hookflow/postgres', store: 'postgres', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'postgres', CONCURRENCY: '50' }, expectStatus: 200 },
  // Only when asked for (`--durable=postgres,postgres-default`): at this width a burst of 20,000 takes minutes to run.
  { name: 'hookflow/postgres, concurrency 8 (default)', store: 'postgres-default', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'postgres' }, expectStatus: 200, extra: true },
  { name: 'Express 5 + BullMQ', store: 'bullmq', hand: true, script: 'servers/durable/express-bullmq-hand.ts', expectStatus: 202 },
  { name: 'hookflow/postgres + BullMQ', store: 'bullmq', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'bullmq' }, expectStatus: 200 },
  // The usual receiver above keeps no record; this one does the work of hookflow's contract on
  // the same two services: the delivery stored in Postgres before the answer, its outcome after.
  { name: 'Express 5 + Postgres + BullMQ, recorded', store: 'bullmq-recorded', pairsWith: 'bullmq', hand: true, script: 'servers/durable/express-pg-bullmq-hand.ts', expectStatus: 202 },
  // Only when asked for (`--durable=bullmq-50`): both BullMQ workers 50 wide, to tell a run's
  // round trips (Postgres, then Redis) from the width they are spread over.
  { name: 'Express 5 + BullMQ, concurrency 50', store: 'bullmq-50', hand: true, script: 'servers/durable/express-bullmq-hand.ts', env: { CONCURRENCY: '50' }, expectStatus: 202 },
  { name: 'hookflow/postgres + BullMQ, concurrency 50', store: 'bullmq-50', hand: false, script: 'servers/durable/hookflow-durable.ts', env: { STORE: 'bullmq', CONCURRENCY: '50' }, expectStatus: 200 },
]

/** Stores run only when named (`--durable=...`). */
const ASKED_ONLY = new Set(['postgres-default', 'bullmq-50'])

export interface DurableRound {
  name: string
  /** Accepted deliveries per second over the load, at 100 connections. */
  rps: number
  p99: number
  /** How long the backlog left when the load stopped took to run, in ms. */
  backlogMs: number
  backlog: number
  /** The burst: ms until the server had stored every delivery, and until it had run every one. */
  burstAcceptMs: number
  burstDrainMs: number
  /**
   * The server process's CPU per delivery of the burst, received to run, in µs (NaN where it
   * cannot be read). All the work for memory and SQLite; without the database server's for the others.
   */
  burstCpuUs: number
  unexpected: number
}

export interface DurableOptions {
  bench: string
  seconds: number
  warmup: number
  rounds: number
  burst: number
  only?: string[]
  /** Another checkout (built, with this bench/ in it): its hookflow servers run beside this one's, for an A/B of builds. */
  against?: string
}

/** Resolves once every delivery the server stored has run (counted by the server itself). */
async function untilRun(server: BenchServer): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS
  for (;;) {
    const { accepted, completed } = await server.completed()
    if (accepted < 0 || completed < 0) throw new Error('the server does not count its runs')
    if (completed >= accepted) return
    if (Date.now() > deadline) throw new Error(`only ${completed} of ${accepted} runs finished within ${DRAIN_TIMEOUT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function cleanUp(env: Record<string, string>): Promise<void> {
  if (env.SCHEMA) {
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${env.SCHEMA}" CASCADE`).finally(() => client.end())
  }
  if (env.PREFIX) {
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${env.PREFIX}:*`)
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500))
    await redis.quit()
  }
}

async function measureOne(entry: DurableServer, options: DurableOptions): Promise<DurableRound> {
  const tag = randomBytes(4).toString('hex')
  const env: Record<string, string> = { ...entry.env, PG_URL, REDIS_URL }
  if (entry.store !== 'memory' && entry.store !== 'sqlite') env.SCHEMA = `bench_durable_${tag}`
  if (entry.store.startsWith('bullmq')) env.PREFIX = `bench-durable-${tag}`
  const server = await spawnServer(entry.script.startsWith('/') ? entry.script : `${options.bench}${entry.script}`, env)
  const run = (connections: number, how: { duration?: number; amount?: number }): Promise<LoadResult> =>
    load({ url: server.url, path: PATH_ASYNC, connections, ...how, expectStatus: entry.expectStatus })
  try {
    const warm = await run(10, { duration: options.warmup })
    await untilRun(server)
    const steady = await run(100, { duration: options.seconds })
    const stopped = Date.now()
    const counts = await server.completed()
    const backlog = counts.accepted - counts.completed
    await untilRun(server)
    const backlogMs = Date.now() - stopped
    // Timed by the server's own counts, polled while the burst runs: autocannon notices that an
    // `amount` is done only at its next one-second tick, which would round every burst up.
    const before = await server.completed()
    const target = before.accepted + options.burst
    const cpuBefore = server.cpuMicros() ?? Number.NaN
    const started = Date.now()
    let burstAcceptMs = 0
    const burstRun = run(100, { amount: options.burst })
    // Settles only if the load fails, so the wait below still sleeps once the load is done.
    const failed = burstRun.then(() => new Promise<never>(() => undefined), (error: unknown) => error)
    for (const deadline = started + DRAIN_TIMEOUT_MS; ; ) {
      const { accepted, completed } = await server.completed()
      if (!burstAcceptMs && accepted >= target) burstAcceptMs = Date.now() - started
      if (completed >= target) break
      if (Date.now() > deadline) throw new Error(`${entry.name}: only ${completed - before.completed} of the burst's ${options.burst} runs finished within ${DRAIN_TIMEOUT_MS} ms`)
      const error = await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 5))])
      if (error) throw error
    }
    const burstDrainMs = Date.now() - started
    const burstCpuUs = ((server.cpuMicros() ?? Number.NaN) - cpuBefore) / options.burst
    const burst = await burstRun
    if (burst.statuses[String(entry.expectStatus)] !== options.burst) throw new Error(`${entry.name}: ${JSON.stringify(burst.statuses)} answers to a burst of ${options.burst}`)
    await untilRun(server)
    return {
      name: entry.name,
      rps: steady.rps,
      p99: steady.p99,
      backlog,
      backlogMs,
      burstAcceptMs,
      burstDrainMs,
      burstCpuUs,
      unexpected: warm.unexpected + steady.unexpected + burst.unexpected,
    }
  } finally {
    await server.stop()
    await cleanUp(env).catch((error: unknown) => console.error(`durable: clean-up after ${entry.name} failed:`, error))
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export interface DurableResult {
  servers: string[]
  everyRound: DurableRound[][]
  medians: DurableRound[]
  ratios: Array<{ store: string; accepted: number[]; drained: number[]; byCpu: number[]; acceptedMedian: number; drainedMedian: number; byCpuMedian: number }>
}

export async function runDurable(options: DurableOptions): Promise<DurableResult> {
  const servers = DURABLE_SERVERS.filter((s) => (options.only ? options.only.includes(s.store) : !ASKED_ONLY.has(s.store))).flatMap((s) =>
    options.against && !s.hand ? [s, { ...s, name: `${s.name} (${options.against})`, script: `${options.against}/bench/${s.script}`, extra: true }] : [s])
  const everyRound: DurableRound[][] = []
  for (let round = 0; round < options.rounds; round++) {
    const once: DurableRound[] = []
    for (const server of servers) {
      const measured = await measureOne(server, options)
      console.log(`durable round ${round + 1}: ${server.name}: ${fmt(measured.rps)}/s accepted, p99 ${measured.p99.toFixed(2)} ms, backlog ${fmt(measured.backlog)} run in ${fmt(measured.backlogMs)} ms; burst of ${fmt(options.burst)} stored in ${fmt(measured.burstAcceptMs)} ms, all run in ${fmt(measured.burstDrainMs)} ms`)
      once.push(measured)
    }
    everyRound.push(once)
  }
  const medians = servers.map((_, i): DurableRound => {
    const all = everyRound.map((r) => r[i]!)
    const mid = (pick: (r: DurableRound) => number): number => median(all.map(pick))
    return { name: all[0]!.name, rps: mid((r) => r.rps), p99: mid((r) => r.p99), backlog: mid((r) => r.backlog), backlogMs: mid((r) => r.backlogMs), burstAcceptMs: mid((r) => r.burstAcceptMs), burstDrainMs: mid((r) => r.burstDrainMs), burstCpuUs: mid((r) => r.burstCpuUs), unexpected: all.reduce((n, r) => n + r.unexpected, 0) }
  })
  const ratios = servers.flatMap((server, hand) => {
    if (!server.hand) return []
    const store = server.store
    const hook = servers.findIndex((s) => s.store === (server.pairsWith ?? store) && !s.hand && !s.extra)
    if (hook < 0) return []
    const accepted = everyRound.map((r) => r[hook]!.rps / r[hand]!.rps)
    // Drained: the burst's deliveries per second until the last had run.
    const drained = everyRound.map((r) => r[hand]!.burstDrainMs / r[hook]!.burstDrainMs)
    // By the receiving process's CPU per delivery: what a saturated core would give, steadier
    // than rates on a shared machine (for memory and SQLite, all of the work).
    const byCpu = everyRound.map((r) => r[hand]!.burstCpuUs / r[hook]!.burstCpuUs)
    return [{ store, accepted, drained, byCpu, acceptedMedian: median(accepted), drainedMedian: median(drained), byCpuMedian: median(byCpu) }]
  })
  return { servers: servers.map((s) => s.name), everyRound, medians, ratios }
}

export function durableTables(result: DurableResult, burst: number): string[] {
  const lines = [
    `| receiver | accepted/s at 100 conns | p99 ms | backlog at the end of the load | backlog run in ms | burst of ${fmt(burst)}: all stored in ms | burst: all run in ms | burst runs/s | burst: server CPU per delivery, µs | bad answers |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const m of result.medians) {
    lines.push(`| ${m.name} | ${fmt(m.rps)} | ${m.p99.toFixed(2)} | ${fmt(m.backlog)} | ${fmt(m.backlogMs)} | ${fmt(m.burstAcceptMs)} | ${fmt(m.burstDrainMs)} | ${fmt((burst / m.burstDrainMs) * 1000)} | ${m.burstCpuUs.toFixed(1)} | ${m.unexpected} |`)
  }
  lines.push('', '| store | hookflow ÷ hand-written, accepted/s (each round) | hookflow ÷ hand-written, burst run to the end (each round) | hookflow ÷ hand-written, by the server\'s CPU per delivery (each round) |', '|---|---:|---:|---:|')
  const pct = (x: number): string => `${Math.round(x * 100)}%`
  for (const r of result.ratios) {
    lines.push(`| ${r.store} | ${pct(r.acceptedMedian)} (${r.accepted.map(pct).join(' ')}) | ${pct(r.drainedMedian)} (${r.drained.map(pct).join(' ')}) | ${pct(r.byCpuMedian)} (${r.byCpu.map(pct).join(' ')}) |`)
  }
  return lines
}
