/**
 * @module
 * The records an engine keeps: executions and the jobs (one per node run) inside them.
 * Plain JSON, so every store can hold them as they are. Times are epoch milliseconds.
 */

export const EXECUTION_STATUSES = ['queued', 'started', 'resolved', 'failed', 'error', 'aborted'] as const
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

/** Statuses an execution never leaves. */
export const FINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['resolved', 'failed', 'error', 'aborted'])

/** `waiting`: a node (a delay) parked the execution; the job completes when it wakes. */
export type JobStatus = 'resolved' | 'failed' | 'error' | 'aborted' | 'waiting'

/** Why an execution was aborted. */
export type AbortReason = 'timeout' | 'canceled'

/** The trigger variables a workflow runs with (`$context` in templates). */
export interface TriggerContext {
  headers: Record<string, string>
  query: Record<string, unknown>
  body: unknown
  params: Record<string, string>
  method?: string
  [key: string]: unknown
}

/** An HTTP answer described by a Response node (or a trigger's configured response). */
export interface ResponseDescription {
  statusCode: number
  headers: Array<{ name: string; value: string }>
  body: unknown
}

export interface ErrorInfo {
  message: string
  name?: string
  code?: string
}

export interface JobRecord {
  /** Position in the execution: jobs sort by it. */
  index: number
  nodeKey: string
  type: string
  status: JobStatus
  result: unknown
  error: ErrorInfo | null
  startedAt: number
  finishedAt: number
  /** How the node steered the flow, when it did: kept so a resumed run takes the same path. */
  flow?: {
    branch?: string
    end?: 'resolved' | 'failed'
    /** The node assigned its result to this earlier node's key (a `variable` node's assign). */
    assign?: string
    /** The node ran branches inline (loop, parallel): how many jobs of each node key they recorded. */
    inline?: Record<string, number>
  }
  /** Tries of this node run, counted across node-level and execution-level retries; set for nodes with `retry` or tried more than once. */
  attempts?: number
}

export interface ExecutionRecord {
  id: string
  workflowKey: string
  /** Unique across the store when set: a second create with the same key finds the first. */
  eventKey: string | null
  /**
   * When set, the event key is held only until this time (epoch ms): a later create with the
   * same key takes it over (the holder's `eventKey` becomes null) instead of finding the holder.
   * Stores give it back only when it was set, so a record reads back as it was written.
   */
  eventKeyExpiresAt?: number | null
  sync: boolean
  status: ExecutionStatus
  reason: AbortReason | string | null
  context: TriggerContext
  /** The first Response node's answer (sync workflows). */
  response: ResponseDescription | null
  error: ErrorInfo | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  /** How many times a worker claimed it. */
  attempts: number
  /** A parked `queued` execution (a delay, a retry) is not claimed before this time (epoch ms); null or absent = due now. */
  wakeAt?: number | null
  /** The execution this one replays (`engine.replay`): a new run from that one's stored context. Absent otherwise. */
  replayOf?: string | null
  /** Filled by `engine.getExecution`; stores keep jobs apart. */
  jobs: JobRecord[]
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { message: String(error) }
}

/** An execution's own fields: everything but what it carries (context, response, error, jobs). */
export type ExecutionFields = Omit<ExecutionRecord, 'context' | 'response' | 'error' | 'jobs'>

/**
 * A record built field by field from `fields` and what it carries. A spread of such a record
 * goes through V8's slow copy (about 1 µs), more than the rest of storing it; optional fields
 * are set only when `fields` has them, so a record reads back as it was written.
 */
export function executionRecord(
  fields: ExecutionFields,
  context: TriggerContext,
  response: ResponseDescription | null,
  error: ErrorInfo | null,
  jobs: JobRecord[],
): ExecutionRecord {
  const record: ExecutionRecord = {
    id: fields.id,
    workflowKey: fields.workflowKey,
    eventKey: fields.eventKey,
    sync: fields.sync,
    status: fields.status,
    reason: fields.reason,
    context,
    response,
    error,
    createdAt: fields.createdAt,
    startedAt: fields.startedAt,
    finishedAt: fields.finishedAt,
    attempts: fields.attempts,
    jobs,
  }
  if (fields.eventKeyExpiresAt !== undefined) record.eventKeyExpiresAt = fields.eventKeyExpiresAt
  if (fields.wakeAt !== undefined) record.wakeAt = fields.wakeAt
  if (fields.replayOf !== undefined) record.replayOf = fields.replayOf
  return record
}
