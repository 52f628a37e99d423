/**
 * @module
 * A job as the JSON text every store keeps. Written field by field: `JSON.stringify` of a whole
 * job cost about 0.8 µs on Node 20 (its number formatting alone, for the two times, a third of
 * that), which made jobs the dearest part of storing a run. The text parses to what
 * `JSON.stringify(job)` would give; a result that carries its JSON text (a Response node's
 * answer) is not serialised again.
 *
 * ```ts
 * jobText(job) // '{"index":0,"nodeKey":"ok",...}'
 * ```
 */
import type { ErrorInfo, JobRecord } from '../engine/execution.js'
import { jsonText } from '../engine/json-text.js'

// Stores keep JSON; a result that is not (a BigInt, a cycle) is recorded as missing, not lost.
export function jobText(job: JobRecord): string {
  let result: string | undefined
  try {
    result = jsonText(job.result)
  } catch (error) {
    const note = { message: `The job result could not be stored as JSON: ${(error as Error).message}` }
    return write(job, 'null', job.error ?? note)
  }
  return write(job, result, job.error)
}

function write(job: JobRecord, result: string | undefined, error: ErrorInfo | null | undefined): string {
  let text =
    `{"index":${number(job.index)},"nodeKey":${quoted(job.nodeKey)},` +
    `"type":${quoted(job.type)},"status":${quoted(job.status)}`
  // JSON leaves out what has no JSON form (undefined), so the text does too.
  if (result !== undefined) text += `,"result":${result}`
  if (error !== undefined) text += `,"error":${error === null ? 'null' : JSON.stringify(error)}`
  if (job.startedAt !== undefined) text += `,"startedAt":${number(job.startedAt)}`
  if (job.finishedAt !== undefined) text += `,"finishedAt":${number(job.finishedAt)}`
  if (job.flow !== undefined) text += `,"flow":${flowText(job.flow)}`
  if (job.attempts !== undefined) text += `,"attempts":${number(job.attempts)}`
  return `${text}}`
}

function flowText(flow: NonNullable<JobRecord['flow']>): string {
  // Most flows are a condition's branch alone: one text per branch name.
  if (flow.end === undefined && flow.assign === undefined && flow.inline === undefined && typeof flow.branch === 'string') {
    return branchFlows.get(flow.branch) ?? remember(branchFlows, flow.branch, `{"branch":${quoted(flow.branch)}}`)
  }
  let text = ''
  if (flow.branch !== undefined) text += `,"branch":${quoted(flow.branch)}`
  if (flow.end !== undefined) text += `,"end":${quoted(flow.end)}`
  if (flow.assign !== undefined) text += `,"assign":${quoted(flow.assign)}`
  if (flow.inline !== undefined) text += `,"inline":${JSON.stringify(flow.inline)}`
  return `{${text.slice(1)}}`
}

// Node keys, types, statuses and branch names are few and repeat on every run: each is quoted once.
const CACHED_MAX = 4096
const quotedNames = new Map<string, string>()
const branchFlows = new Map<string, string>()

function quoted(name: string): string {
  if (typeof name !== 'string') return JSON.stringify(name)
  return quotedNames.get(name) ?? remember(quotedNames, name, JSON.stringify(name))
}

function remember(texts: Map<string, string>, name: string, text: string): string {
  if (texts.size >= CACHED_MAX) texts.clear()
  texts.set(name, text)
  return text
}

// As JSON writes numbers: NaN and the infinities become null.
function number(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null'
}
