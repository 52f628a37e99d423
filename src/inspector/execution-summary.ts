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
  id: string
  workflowKey: string
  status: ExecutionStatus
  reason: string | null
  sync: boolean
  eventKey: string | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  attempts: number
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
