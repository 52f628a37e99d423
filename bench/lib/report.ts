/**
 * The printed tables: every scenario against the node:http baseline on the same path, and per
 * framework the hookflow adapter against the hand-written route in that framework.
 */
import type { Measured } from './measure.js'

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (a: number, b: number): string => `${fmt((a / b) * 100)}%`
const cpu = (n: number | undefined): string => (n === undefined ? '-' : fmt(n))

/** `baseline` finds the row each row is compared with (the node:http baseline on its path). */
export function mainTable(measured: Measured[], baseline: (m: Measured) => Measured): string[] {
  const lines = [
    `| scenario | conns | req/s | p50 ms | p99 ms | server CPU µs/req | of it kernel | req/s vs baseline | p99 vs baseline | bad answers |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ]
  for (const m of measured) {
    const base = baseline(m)
    m.results.forEach((r, i) => {
      const b = base.results[i]!
      lines.push(
        `| ${m.scenario} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${cpu(r.cpuPerRequest)} | ${cpu(r.kernelPerRequest)} | ${pct(r.rps, b.rps)} | ${fmt(r.p99 / b.p99, 2)}x | ${r.unexpected}${m.wrongAnswer === undefined ? '' : ' + wrong answer'} |`,
      )
    })
  }
  return lines
}

export interface AdapterPair {
  framework: string
  /** The hand-written route in that framework, and hookflow mounted in it (server scripts). */
  hand: string
  hookflow: string
}

export interface AdapterRatio {
  framework: string
  connections: number
  handRps: number
  hookflowRps: number
  /** hookflow req/s ÷ hand-written req/s. */
  rpsRatio: number
  handCpu?: number
  hookflowCpu?: number
  /** hand-written CPU µs/req ÷ hookflow CPU µs/req: the req/s ratio a saturated core would give. */
  cpuRatio?: number
}

export function adapterRatios(measured: Measured[], pairs: AdapterPair[], path: string): AdapterRatio[] {
  const find = (server: string): Measured => measured.find((m) => m.server === server && m.path === path)!
  return pairs.flatMap(({ framework, hand, hookflow }) => {
    const h = find(hand)
    const f = find(hookflow)
    return h.results.map((r, i) => {
      const q = f.results[i]!
      const ratio: AdapterRatio = { framework, connections: r.connections, handRps: r.rps, hookflowRps: q.rps, rpsRatio: q.rps / r.rps }
      if (r.cpuPerRequest !== undefined && q.cpuPerRequest !== undefined) {
        Object.assign(ratio, { handCpu: r.cpuPerRequest, hookflowCpu: q.cpuPerRequest, cpuRatio: r.cpuPerRequest / q.cpuPerRequest })
      }
      return ratio
    })
  })
}

export function adapterTable(ratios: AdapterRatio[]): string[] {
  const lines = [
    `| framework | conns | hand-written req/s | hookflow req/s | hookflow ÷ hand req/s | hand-written CPU µs/req | hookflow CPU µs/req | hand ÷ hookflow CPU |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
  ]
  for (const a of ratios) {
    const cpuRatio = a.cpuRatio === undefined ? '-' : `${fmt(a.cpuRatio * 100)}%`
    lines.push(
      `| ${a.framework} | ${a.connections} | ${fmt(a.handRps)} | ${fmt(a.hookflowRps)} | ${fmt(a.rpsRatio * 100)}% | ${cpu(a.handCpu)} | ${cpu(a.hookflowCpu)} | ${cpuRatio} |`,
    )
  }
  return lines
}
