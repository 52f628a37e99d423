/**
 * One scenario of the table: start its server, check one answer, warm up, then load it at 10
 * and 100 connections, reading the server's CPU time around each load.
 */
import { load, type LoadResult } from './load.js'
import { spawnServer } from './spawn-server.js'
import { body, headers, QUERY } from '../workload.js'

export interface Row {
  scenario: string
  /** Server script, relative to bench/. */
  server: string
  path: string
  env?: Record<string, string>
  /** When given, one request first must get exactly this body (and a JSON content type). */
  expectBody?: string
}

export interface Measured extends Row {
  results: LoadResult[]
  /** What the server answered to the check request, when the row has `expectBody` and it differs. */
  wrongAnswer?: string
  /** Rounds the figures are the median of (see `medianOf`). */
  rounds?: number
}

export interface MeasureOptions {
  bench: string
  duration: number
  warmup: number
}

export const CONNECTIONS = [10, 100] as const

export async function measure(row: Row, { bench, duration, warmup }: MeasureOptions): Promise<Measured> {
  const server = await spawnServer(`${bench}${row.server}`, row.env)
  try {
    const wrongAnswer = row.expectBody === undefined ? undefined : await checkAnswer(`${server.url}${row.path}${QUERY}`, row.expectBody)
    await load({ url: server.url, path: row.path, connections: 10, duration: warmup, expectStatus: 200 })
    const results: LoadResult[] = []
    for (const connections of CONNECTIONS) {
      const cpuBefore = server.cpuMicros()
      const kernelBefore = server.systemMicros()
      const result = await load({ url: server.url, path: row.path, connections, duration, expectStatus: 200 })
      const cpuAfter = server.cpuMicros()
      const kernelAfter = server.systemMicros()
      if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuPerRequest = (cpuAfter - cpuBefore) / result.requests
      if (kernelBefore !== undefined && kernelAfter !== undefined) result.kernelPerRequest = (kernelAfter - kernelBefore) / result.requests
      results.push(result)
    }
    return { ...row, results, ...(wrongAnswer === undefined ? {} : { wrongAnswer }) }
  } finally {
    await server.stop()
  }
}

/** Undefined when the answer is 200, JSON and exactly `expected`; else a line saying what came. */
async function checkAnswer(url: string, expected: string): Promise<string | undefined> {
  const response = await fetch(url, { method: 'POST', headers, body })
  const text = await response.text()
  const type = response.headers.get('content-type')
  const ok = response.status === 200 && type === 'application/json; charset=utf-8' && text === expected
  return ok ? undefined : `${response.status} ${type} ${text.slice(0, 200)}`
}

/**
 * One row from several rounds of it: per connection count, the median of each figure, so a
 * minute in which the machine was slow moves no ratio far. Requests, statuses and bad answers
 * add up over the rounds; a wrong check answer in any round stays.
 */
export function medianOf(rounds: Measured[]): Measured {
  const first = rounds[0]!
  const results = first.results.map((result, i): LoadResult => {
    const all = rounds.map((m) => m.results[i]!)
    const mid = (pick: (r: LoadResult) => number | undefined): number | undefined => median(all.map(pick).filter((x): x is number => x !== undefined))
    const statuses: Record<string, number> = {}
    for (const r of all) for (const [code, count] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + count
    const merged: LoadResult = {
      connections: result.connections,
      requests: all.reduce((sum, r) => sum + r.requests, 0),
      rps: mid((r) => r.rps)!,
      p50: mid((r) => r.p50)!,
      p99: mid((r) => r.p99)!,
      unexpected: all.reduce((sum, r) => sum + r.unexpected, 0),
      statuses,
    }
    const cpu = mid((r) => r.cpuPerRequest)
    const kernel = mid((r) => r.kernelPerRequest)
    if (cpu !== undefined) merged.cpuPerRequest = cpu
    if (kernel !== undefined) merged.kernelPerRequest = kernel
    return merged
  })
  const wrongAnswer = rounds.find((m) => m.wrongAnswer !== undefined)?.wrongAnswer
  return { ...first, results, rounds: rounds.length, ...(wrongAnswer === undefined ? {} : { wrongAnswer }) }
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** A scenario is void when any answer had another status, or its check answer was wrong. */
export const isVoid = (m: Measured): boolean => m.wrongAnswer !== undefined || m.results.some((r) => r.unexpected > 0)
