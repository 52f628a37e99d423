/**
 * @module
 * Rows to records and back: context, response, error and jobs are JSON text; `sync` is 0 or 1.
 */
import type { ExecutionRecord } from '../../engine/execution.js'
import { contextJson, nullableJson } from '../../engine/json-text.js'
import type { ClaimOptions, NewExecution } from '../store.js'

export interface ExecutionRow {
  seq: number
  id: string
  workflow_key: string
  event_key: string | null
  sync: number
  status: ExecutionRecord['status']
  reason: string | null
  context: string
  response: string | null
  error: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  attempts: number
  owner: string | null
  lease_until: number
  event_key_expires_at: number | null
  wake_at: number | null
  replay_of: string | null
}

/** The columns `create` writes, in the order of its INSERT. */
export const INSERT_COLUMNS = [
  'id', 'workflow_key', 'event_key', 'sync', 'status', 'reason', 'context', 'response', 'error',
  'created_at', 'started_at', 'finished_at', 'attempts', 'owner', 'lease_until',
  'event_key_expires_at',
  'wake_at',
  'replay_of',
] as const

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T)
}

export function insertValues(execution: NewExecution, claim: ClaimOptions | undefined): unknown[] {
  return [
    execution.id, execution.workflowKey, execution.eventKey, execution.sync ? 1 : 0, execution.status,
    execution.reason, contextJson(execution.context), nullableJson(execution.response), nullableJson(execution.error),
    execution.createdAt, execution.startedAt, execution.finishedAt, execution.attempts,
    claim?.owner ?? null, claim ? claim.now + claim.leaseMs : 0,
    execution.eventKeyExpiresAt ?? null,
    execution.wakeAt ?? null,
    execution.replayOf ?? null,
  ]
}

export function toRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    workflowKey: row.workflow_key,
    eventKey: row.event_key,
    sync: row.sync === 1,
    status: row.status,
    reason: row.reason,
    context: JSON.parse(row.context) as ExecutionRecord['context'],
    response: parse<ExecutionRecord['response']>(row.response),
    error: parse<ExecutionRecord['error']>(row.error),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    attempts: row.attempts,
    // Only when set, so a record created without a window reads back as it was written.
    ...(row.event_key_expires_at === null ? {} : { eventKeyExpiresAt: row.event_key_expires_at }),
    ...(row.wake_at === null || row.wake_at === undefined ? {} : { wakeAt: row.wake_at }),
    ...(row.replay_of === null || row.replay_of === undefined ? {} : { replayOf: row.replay_of }),
    jobs: [],
  }
}

