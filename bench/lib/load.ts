/**
 * Drives a server with autocannon from this process and summarises the run. A run with any
 * answer other than the expected status, any error or timeout is void: it measured failures.
 */
import autocannon from 'autocannon'
import { body, headers, QUERY } from '../workload.js'
import { Latencies } from './latencies.js'

export interface LoadOptions {
  url: string
  path: string
  connections: number
  /** Seconds; or `amount` requests in all. */
  duration?: number
  amount?: number
  expectStatus: number
}

export interface LoadResult {
  connections: number
  requests: number
  rps: number
  /** Latencies of the expected answers, in ms (to the hundredth, from every response time). */
  p50: number
  p99: number
  /** Answers with another status, errors and timeouts: must be 0. */
  unexpected: number
  statuses: Record<string, number>
  /** Server CPU time per answered request, in µs, when the harness can read it. */
  cpuPerRequest?: number
  /** Of that, the kernel's part (system time): socket writes, and waking the load generator. */
  kernelPerRequest?: number
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const times = new Latencies()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: `${options.url}${options.path}${QUERY}`,
        method: 'POST',
        headers,
        body,
        connections: options.connections,
        pipelining: 1,
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 5 }),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
    run.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode === options.expectStatus) times.add(ms)
    })
  })
  const statuses: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat?.count ?? 0
  const expected = statuses[String(options.expectStatus)] ?? 0
  const total = Object.values(statuses).reduce((a, b) => a + b, 0)
  return {
    connections: options.connections,
    requests: total,
    rps: result.requests.average,
    p50: times.percentile(50),
    p99: times.percentile(99),
    unexpected: total - expected + result.errors + result.timeouts,
    statuses,
  }
}
