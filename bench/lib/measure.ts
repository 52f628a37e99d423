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

/** A scenario is void when any answer had another status, or its check answer was wrong. */
export const isVoid = (m: Measured): boolean => m.wrongAnswer !== undefined || m.results.some((r) => r.unexpected > 0)
