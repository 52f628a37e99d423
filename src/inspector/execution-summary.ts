/**
 * @module
 * An execution as lists and live events show it: its own fields, without what it carries
 * (the context, the response, the jobs), so a page of 50 stays small however large the bodies.
 *
 * ```ts
 * executionSummary(await engine.getExecution(id)) // { id, workflowKey, status, ... }
 * ```
 */
import type { ErrorInfo, ExecutionRecord, ExecutionStatus } from '../engine/execution.js'

/**
 * An execution as the inspector's API lists it and its event stream sends it: without context, answer or jobs.
 *
 * @example
 * ```ts
 * import type { ExecutionSummary } from 'hookflow/inspector'
 *
 * const response = await fetch('http://localhost:3000/hookflow/api/executions', { headers: { authorization: 'Basic YWRtaW46czNjcmV0' } })
 * const { items, nextCursor } = (await response.json()) as { items: ExecutionSummary[]; nextCursor: string | null }
 * ```
 */
export interface ExecutionSummary {
  /** The execution's id. */
  id: string
  /** The workflow it runs. */
  workflowKey: string
  /** Where the run is. */
  status: ExecutionStatus
  /** Why it was aborted, or null. */
  reason: string | null
  /** True for a sync run. */
  sync: boolean
  /** Its event key, or null. */
  eventKey: string | null
  /** When it was stored (epoch ms). */
  createdAt: number
  /** When it started, or null. */
  startedAt: number | null
  /** When it finished, or null. */
  finishedAt: number | null
  /** How many times a worker claimed it. */
  attempts: number
  /** The error it ended with, or null. */
  error: ErrorInfo | null
  /** The execution this one replays, or null. */
  replayOf: string | null
}

export function executionSummary(record: ExecutionRecord): ExecutionSummary {
  return {
    id: record.id,
    workflowKey: record.workflowKey,
    status: record.status,
    reason: record.reason,
    sync: record.sync,
    eventKey: record.eventKey,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    attempts: record.attempts,
    error: record.error,
    replayOf: record.replayOf ?? null,
  }
}
