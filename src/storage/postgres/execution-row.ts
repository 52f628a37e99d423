/**
 * @module
 * Rows to records and back. JSON columns are read as text and parsed here, and BIGINT times
 * through `Number`, so a pool with its own type parsers (int8 as BigInt, say) reads the same.
 */
import type { ExecutionRecord } from '../../engine/execution.js'
import { contextJson, nullableJson } from '../../engine/json-text.js'
import type { ClaimOptions, NewExecution } from '../store.js'

export interface ExecutionRow {
  id: string
  workflow_key: string
  event_key: string | null
  event_key_expires_at: string | number | null
  sync: boolean
  status: ExecutionRecord['status']
  reason: string | null
  context: string
  response: string | null
  error: string | null
  created_at: string | number
  started_at: string | number | null
  finished_at: string | number | null
  attempts: number
  wake_at: string | number | null
  replay_of: string | null
}

/** What a read selects: JSON as text. */
export const SELECT_COLUMNS = `id, workflow_key, event_key, event_key_expires_at, sync, status, reason,
  context::text AS context, response::text AS response, error::text AS error,
  created_at, started_at, finished_at, attempts, wake_at, replay_of`

/** The columns `create` writes, in the order of `insertValues`. */
export const INSERT_COLUMNS = [
  'id', 'workflow_key', 'event_key', 'event_key_expires_at', 'sync', 'status', 'reason', 'context', 'response',
  'error', 'created_at', 'started_at', 'finished_at', 'attempts', 'owner', 'lease_until', 'wake_at',
  'replay_of',
] as const

/** `$1, $2, ...` with the JSON columns cast. */
export const INSERT_PLACEHOLDERS = INSERT_COLUMNS.map((column, i) =>
  column === 'context' || column === 'response' || column === 'error' ? `$${i + 1}::json` : `$${i + 1}`,
).join(', ')

export function insertValues(execution: NewExecution, claim: ClaimOptions | undefined): unknown[] {
  return [
    execution.id, execution.workflowKey, execution.eventKey, execution.eventKeyExpiresAt ?? null, execution.sync,
    execution.status, execution.reason, contextJson(execution.context), nullableJson(execution.response),
    nullableJson(execution.error), execution.createdAt, execution.startedAt, execution.finishedAt, execution.attempts,
    claim?.owner ?? null, claim ? claim.now + claim.leaseMs : 0, execution.wakeAt ?? null, execution.replayOf ?? null,
  ]
}

const time = (value: string | number | null): number | null => (value === null ? null : Number(value))
const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

export function toRecord(row: ExecutionRow): ExecutionRecord {
  const record: ExecutionRecord = {
    id: row.id,
    workflowKey: row.workflow_key,
    eventKey: row.event_key,
    sync: row.sync,
    status: row.status,
    reason: row.reason,
    context: JSON.parse(row.context) as ExecutionRecord['context'],
    response: parse<ExecutionRecord['response']>(row.response),
    error: parse<ExecutionRecord['error']>(row.error),
    createdAt: Number(row.created_at),
    startedAt: time(row.started_at),
    finishedAt: time(row.finished_at),
    attempts: row.attempts,
    jobs: [],
  }
  // Optional fields appear only when set: a record stored without them reads back as it was.
  if (row.wake_at !== null) record.wakeAt = Number(row.wake_at)
  if (row.event_key_expires_at !== null) record.eventKeyExpiresAt = Number(row.event_key_expires_at)
  if (row.replay_of !== null) record.replayOf = row.replay_of
  return record
}

