/**
 * `npm run bench`: every scenario in one run, so ratios compare like with like. Servers run
 * in child processes (pinned to one core when possible); autocannon drives them from this
 * process. Prints one table with ratios against the hand-written node:http baseline, and
 * writes the results as JSON under bench/results/.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { load, type LoadResult } from './lib/load.js'
import { spawnServer } from './lib/spawn-server.js'
import { PATH_ASYNC, PATH_SYNC } from './workload.js'

const quick = process.argv.includes('--quick')
const DURATION = quick ? 2 : 5
const WARMUP = quick ? 1 : 2
const BURST = quick ? 20_000 : 100_000
const here = new URL('.', import.meta.url).pathname

interface Row {
  scenario: string
  server: string
  path: string
  env?: Record<string, string>
}

const rows: Row[] = [
  { scenario: 'baseline node:http, sync', server: 'servers/baseline.ts', path: PATH_SYNC },
  { scenario: 'baseline node:http, async', server: 'servers/baseline.ts', path: PATH_ASYNC },
  { scenario: 'hookflow/node sync, memory', server: 'servers/hookflow.ts', path: PATH_SYNC },
  { scenario: 'hookflow/node async, memory', server: 'servers/hookflow.ts', path: PATH_ASYNC },
]

interface Measured extends Row {
  results: LoadResult[]
}

const measured: Measured[] = []
let void_ = false
for (const row of rows) {
  const server = await spawnServer(`${here}${row.server}`, row.env)
  try {
    await load({ url: server.url, path: row.path, connections: 10, duration: WARMUP, expectStatus: 200 })
    const results: LoadResult[] = []
    for (const connections of [10, 100]) {
      const cpuBefore = server.cpuMicros()
      const result = await load({ url: server.url, path: row.path, connections, duration: DURATION, expectStatus: 200 })
      const cpuAfter = server.cpuMicros()
      if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuPerRequest = (cpuAfter - cpuBefore) / result.requests
      if (result.unexpected > 0) void_ = true
      results.push(result)
    }
    measured.push({ ...row, results })
  } finally {
    await server.stop()
  }
}

// Memory: a burst of async deliveries, the server's peak RSS sampled while it runs them.
const burstServer = await spawnServer(`${here}servers/hookflow.ts`)
await burstServer.resetPeak()
const burst = await load({ url: burstServer.url, path: PATH_ASYNC, connections: 100, amount: BURST, expectStatus: 200 })
const burstStats = await burstServer.stats()
await burstServer.stop()
if (burst.unexpected > 0) void_ = true

const inProcess = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', `${here}in-process.ts`], { encoding: 'utf8' }).trim().split('\n').pop()!,
) as { sync: number; async: number }

// ---- report ----------------------------------------------------------------------------
const baselineOf = (path: string): Measured => measured.find((m) => m.server === 'servers/baseline.ts' && m.path === path)!
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (a: number, b: number): string => `${fmt((a / b) * 100)}%`

const lines: string[] = []
lines.push(`| scenario | conns | req/s | p50 ms | p99 ms | server CPU µs/req | req/s vs baseline | p99 vs baseline | bad answers |`)
lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`)
for (const m of measured) {
  const base = baselineOf(m.path)
  m.results.forEach((r, i) => {
    const b = base.results[i]!
    lines.push(
      `| ${m.scenario} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.cpuPerRequest === undefined ? '-' : fmt(r.cpuPerRequest)} | ${pct(r.rps, b.rps)} | ${fmt(r.p99 / Math.max(b.p99, 1), 2)}x | ${r.unexpected} |`,
    )
  })
}
console.log(`\nhookflow benchmark — node ${process.version}, ${os.cpus().length} cores, server pinned to one core\n`)
console.log(lines.join('\n'))
console.log(`\nin-process trigger.fetch (no socket, one core): sync ${fmt(inProcess.sync)} executions/s, async ${fmt(inProcess.async)} executions/s`)
console.log(`burst: ${fmt(BURST)} async deliveries at 100 connections, ${fmt(burst.rps)} req/s; server peak RSS ${fmt(burstStats.peakRss / 2 ** 20)} MiB (target < 300 MiB)`)
if (void_) console.log('\nVOID: some answers had an unexpected status, errors or timeouts; see the bad answers column')

mkdirSync(`${here}results`, { recursive: true })
const file = `${here}results/${new Date().toISOString().replaceAll(':', '-')}.json`
writeFileSync(file, JSON.stringify({ node: process.version, quick, measured, inProcess, burst: { ...burst, peakRss: burstStats.peakRss } }, null, 2))
console.log(`\nresults written to ${file}`)
process.exitCode = void_ ? 1 : 0
