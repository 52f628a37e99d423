/**
 * `npm run bench`: every scenario in one run, so ratios compare like with like. Servers run
 * in child processes (pinned to one core when possible); autocannon drives them from this
 * process. Prints the table of scenarios against the hand-written node:http baseline, then
 * per framework hookflow's adapter against a hand-written route in that framework, and writes
 * the results as JSON under bench/results/. Run `npx tsup` first: the servers load dist/.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { load } from './lib/load.js'
import { isVoid, measure, type Measured, medianOf, type Row } from './lib/measure.js'
import { adapterRatios, adapterTable, type AdapterPair, fmt, mainTable } from './lib/report.js'
import { ALL_CORES, LOAD_CORE, pinSelf, spawnServer } from './lib/spawn-server.js'
import { runScale } from './scale.js'
import { durableTables, runDurable } from './durable.js'
import { PATH_ASYNC, PATH_SYNC, SYNC_ANSWER } from './workload.js'

const quick = process.argv.includes('--quick')
const DURATION = quick ? 2 : 4
// Every row is measured this many times, all rows once per round; the table shows medians.
const ROUNDS = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 1 : 3))
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1)) throw new TypeError('--rounds must be a positive integer')
const WARMUP = quick ? 1 : 2
const BURST = quick ? 20_000 : 100_000
const here = new URL('.', import.meta.url).pathname
const SCALE_COUNT = Number(process.argv.find((arg) => arg.startsWith('--scale-count='))?.split('=')[1] ?? (quick ? 1000 : 5000))

// `--scale` runs the scale scenario alone (it needs Postgres and Redis); a full run ends with it.
if (process.argv.includes('--scale')) {
  const scaled = await runScale({ count: SCALE_COUNT })
  process.exit(scaled ? 0 : 1)
}

// `--durable` runs the durable scenario alone (hookflow beside hand-written receivers on memory,
// SQLite, Postgres and BullMQ); `--durable=postgres,bullmq` picks stores. A full run includes it.
const DURABLE_BURST = Number(process.argv.find((arg) => arg.startsWith('--burst='))?.split('=')[1] ?? 20_000)
const durableArg = process.argv.find((arg) => arg === '--durable' || arg.startsWith('--durable='))
// In a full run it has one round (a round takes about five minutes on Postgres and BullMQ, on
// the loaded VM), to keep the run near 15 minutes; alone, --rounds (default 3) for medians.
const durableRun = async (rounds = ROUNDS): Promise<Awaited<ReturnType<typeof runDurable>>> => {
  pinSelf(LOAD_CORE)
  const only = durableArg?.includes('=') ? durableArg.split('=')[1]!.split(',') : undefined
  const against = process.argv.find((arg) => arg.startsWith('--against='))?.split('=')[1]
  const result = await runDurable({ bench: here, seconds: DURATION, warmup: WARMUP, rounds, burst: DURABLE_BURST, only, against })
  console.log(`\ndurable — async deliveries through each receiver on its store, 100 connections; medians of ${rounds} round(s) (targets: memory accepted ≥ 80%; SQLite and Postgres ≥ 80% accepted and run; BullMQ ≥ 100%)\n`)
  console.log(durableTables(result, DURABLE_BURST).join('\n'))
  pinSelf(ALL_CORES)
  return result
}
if (durableArg) {
  const result = await durableRun()
  mkdirSync(`${here}results`, { recursive: true })
  const file = `${here}results/durable-${new Date().toISOString().replaceAll(':', '-')}.json`
  writeFileSync(file, JSON.stringify({ node: process.version, rounds: ROUNDS, burst: DURABLE_BURST, durable: result }, null, 2))
  console.log(`\nresults written to ${file}`)
  process.exit(result.medians.some((m) => m.unexpected > 0) ? 1 : 0)
}

const sync = (scenario: string, server: string): Row => ({ scenario, server, path: PATH_SYNC, expectBody: SYNC_ANSWER })
const rows: Row[] = [
  sync('baseline node:http, sync', 'servers/baseline.ts'),
  { scenario: 'baseline node:http, async', server: 'servers/baseline.ts', path: PATH_ASYNC },
  sync('hookflow/node sync, memory', 'servers/hookflow.ts'),
  { scenario: 'hookflow/node async, memory', server: 'servers/hookflow.ts', path: PATH_ASYNC },
  // Durable ingest: every acknowledged delivery committed to SQLite before its answer.
  { scenario: 'hookflow/node async, SQLite', server: 'servers/hookflow-sqlite.ts', path: PATH_ASYNC },
  // Each framework's pair back to back, so the two see the same machine.
  sync('Express 5 hand-written, sync', 'servers/express-hand.ts'),
  sync('hookflow/express sync, memory', 'servers/express-hookflow.ts'),
  sync('Fastify 5 hand-written, sync', 'servers/fastify-hand.ts'),
  sync('hookflow/fastify sync, memory', 'servers/fastify-hookflow.ts'),
]

const adapters: AdapterPair[] = [
  { framework: 'node:http', hand: 'servers/baseline.ts', hookflow: 'servers/hookflow.ts' },
  { framework: 'Express 5', hand: 'servers/express-hand.ts', hookflow: 'servers/express-hookflow.ts' },
  { framework: 'Fastify 5', hand: 'servers/fastify-hand.ts', hookflow: 'servers/fastify-hookflow.ts' },
]

// autocannon runs here: on its own core, never on the server's.
pinSelf(LOAD_CORE)
const rounds: Measured[][] = []
for (let round = 0; round < ROUNDS; round++) {
  const once: Measured[] = []
  for (const row of rows) once.push(await measure(row, { bench: here, duration: DURATION, warmup: WARMUP }))
  rounds.push(once)
}
const measured: Measured[] = rows.map((_, i) => medianOf(rounds.map((round) => round[i]!)))

// Memory: a burst of async deliveries, the server's peak RSS sampled while it runs them.
const burstServer = await spawnServer(`${here}servers/hookflow.ts`)
await burstServer.resetPeak()
const burst = await load({ url: burstServer.url, path: PATH_ASYNC, connections: 100, amount: BURST, expectStatus: 200 })
const burstStats = await burstServer.stats()
await burstServer.stop()

pinSelf(ALL_CORES)

const inProcessRun = (...args: string[]): { sync: number; async: number } =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', `${here}in-process.ts`, ...args], { encoding: 'utf8' }).trim().split('\n').pop()!)
const standardInProcess = inProcessRun()
const lightInProcess = inProcessRun('--light')
const noHistory = inProcessRun('--light', '--history=0')
const inProcess = {
  ...standardInProcess,
  coreSync: lightInProcess.sync,
  coreAsync: lightInProcess.async,
  coreSyncNoHistory: noHistory.sync,
  coreAsyncNoHistory: noHistory.async,
}

const perNode = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', `${here}per-node.ts`, ...(quick ? ['--quick'] : [])], { encoding: 'utf8' }).trim().split('\n').pop()!,
) as { usPerNode: number; oneNodeUs: number; twentyNodeUs: number }

// ---- report ----------------------------------------------------------------------------
const baselineOf = (m: Measured): Measured => measured.find((b) => b.server === 'servers/baseline.ts' && b.path === m.path)!
const ratios = adapterRatios(measured, adapters, PATH_SYNC)
const void_ = measured.some(isVoid) || burst.unexpected > 0

console.log(`\nhookflow benchmark — node ${process.version}, ${os.cpus().length} cores, server pinned to one core; medians of ${ROUNDS} round(s) of ${DURATION} s loads\n`)
console.log(mainTable(measured, baselineOf).join('\n'))
console.log(`\nadapters — sync webhook, hookflow mounted in each framework vs a hand-written route in the same framework (target ≥ 85%)\n`)
console.log(adapterTable(ratios).join('\n'))
// The adapter's own cost: each framework's hookflow beside hookflow/node (target within 5%),
// and sync through hookflow/node beside bare node:http (target ≥ 60%).
const at100 = (server: string, path = PATH_SYNC): number => measured.find((m) => m.server === server && m.path === path)?.results.find((r) => r.connections === 100)?.rps ?? NaN
const nodeSync = at100('servers/hookflow.ts')
console.log(`\nadapter cost at 100 connections, sync: hookflow/express ${fmt((at100('servers/express-hookflow.ts') / nodeSync) * 100)}% and hookflow/fastify ${fmt((at100('servers/fastify-hookflow.ts') / nodeSync) * 100)}% of hookflow/node (target ≥ 95%); hookflow/node ${fmt((nodeSync / at100('servers/baseline.ts')) * 100)}% of bare node:http (target ≥ 60%)`)
const memoryAsync = measured.find((m) => m.server === 'servers/hookflow.ts' && m.path === PATH_ASYNC)
const sqliteAsync = measured.find((m) => m.server === 'servers/hookflow-sqlite.ts')
if (memoryAsync && sqliteAsync) {
  const at = (m: Measured, i: number): number => m.results[i]?.rps ?? 0
  const n8n = 70 // n8n's async deliveries per second on one core of this kind of machine
  const line = [0, 1].map((i) => `${memoryAsync.results[i]?.connections} conns ${fmt((at(sqliteAsync, i) / at(memoryAsync, i)) * 100)}% of memory (${fmt(at(sqliteAsync, i) / n8n)}x n8n)`)
  console.log(`\ndurable ingest — async through hookflow/node, SQLite vs memory store (target ≥ 50%, ≥ 50x n8n's ~70/s): ${line.join('; ')}`)
}
console.log(`\nin-process trigger.fetch (no socket, one core): sync ${fmt(inProcess.sync)} executions/s, async ${fmt(inProcess.async)} executions/s; with the Node bridge's light request (core and engine alone): sync ${fmt(inProcess.coreSync)}/s (${(1e6 / inProcess.coreSync).toFixed(1)} µs), async ${fmt(inProcess.coreAsync)}/s (${(1e6 / inProcess.coreAsync).toFixed(1)} µs)`)
const historyUs = (rate: number, without: number): string => (1e6 / rate - 1e6 / without).toFixed(1)
console.log(`of that, keeping each finished run in the memory store's history (default 10,000 runs, vs maxFinished: 0): sync ${historyUs(inProcess.coreSync, inProcess.coreSyncNoHistory)} µs, async ${historyUs(inProcess.coreAsync, inProcess.coreAsyncNoHistory)} µs`)
console.log(`per-node overhead (in process, sync, 20 nodes vs 1): ${perNode.usPerNode.toFixed(2)} µs per node (${perNode.oneNodeUs.toFixed(1)} µs for 1 node, ${perNode.twentyNodeUs.toFixed(1)} µs for 20)`)
console.log(`burst: ${fmt(BURST)} async deliveries at 100 connections, ${fmt(burst.rps)} req/s; server peak RSS ${fmt(burstStats.peakRss / 2 ** 20)} MiB (target < 300 MiB)`)
for (const m of measured) if (m.wrongAnswer !== undefined) console.log(`\nWRONG ANSWER from ${m.scenario}: ${m.wrongAnswer}`)
if (void_) console.log('\nVOID: some answers had an unexpected status or body, errors or timeouts; see the bad answers column')

const scale = await runScale({ count: SCALE_COUNT })
const durable = await durableRun(1)

mkdirSync(`${here}results`, { recursive: true })
const file = `${here}results/${new Date().toISOString().replaceAll(':', '-')}.json`
const results = { node: process.version, quick, rounds: ROUNDS, measured, everyRound: rounds, adapters: ratios, inProcess, perNode, burst: { ...burst, peakRss: burstStats.peakRss }, scale, durable }
writeFileSync(file, JSON.stringify(results, null, 2))
console.log(`\nresults written to ${file}`)
process.exitCode = void_ || durable.medians.some((m) => m.unexpected > 0) ? 1 : 0
