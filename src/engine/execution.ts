/**
 * @module
 * The records an engine keeps: executions and the jobs (one per node run) inside them.
 * Plain JSON, so every store can hold them as they are. Times are epoch milliseconds.
 */

/**
 * Every status an execution can have, in the order of its life.
 *
 * @example
 * ```ts
 * import { EXECUTION_STATUSES } from 'hookflow'
 *
 * const isStatus = (value: string) => (EXECUTION_STATUSES as readonly string[]).includes(value)
 * ```
 */
export const EXECUTION_STATUSES = ['queued', 'started', 'resolved', 'failed', 'error', 'aborted'] as const
/**
 * An execution's status: `queued`, `started`, then final `resolved`, `failed`, `error` or `aborted`.
 *
 * @example
 * ```ts
 * import type { ExecutionStatus } from 'hookflow'
 *
 * const done: ExecutionStatus[] = ['resolved', 'failed', 'error', 'aborted']
 * ```
 */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

/** Statuses an execution never leaves. */
export const FINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['resolved', 'failed', 'error', 'aborted'])

/**
 * `waiting`: a node (a delay) parked the execution; the job completes when it wakes.
 *
 * @example
 * ```ts
 * import type { JobStatus } from 'hookflow'
 *
 * const parked: JobStatus = 'waiting'
 * ```
 */
export type JobStatus = 'resolved' | 'failed' | 'error' | 'aborted' | 'waiting'

/**
 * Why an execution was aborted.
 *
 * @example
 * ```ts
 * import { createEngine, type AbortReason } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.on('execution:finished', (execution) => {
 *   if (execution.status === 'aborted' && execution.reason === ('timeout' satisfies AbortReason)) console.warn('timed out', execution.id)
 * })
 * ```
 */
export type AbortReason = 'timeout' | 'canceled'

/**
 * The trigger variables a workflow runs with (`$context` in templates).
 *
 * @example
 * ```ts
 * import { createEngine, type TriggerContext } from 'hookflow'
 *
 * const context: Partial<TriggerContext> = { body: { orderId: 42 }, headers: { 'x-source': 'test' } }
 * await createEngine().trigger('orders', context)
 * ```
 */
export interface TriggerContext {
  /** Request headers, names lower-cased (credentials left out). */
  headers: Record<string, string>
  /** The parsed query string. */
  query: Record<string, unknown>
  /** The parsed body. */
  body: unknown
  /** Path parameters of a trigger with a `path` pattern. */
  params: Record<string, string>
  /** The request method. */
  method?: string
  [key: string]: unknown
}

/**
 * An HTTP answer described by a Response node (or a trigger's configured response).
 *
 * @example
 * ```ts
 * import type { ResponseDescription } from 'hookflow'
 *
 * const accepted: ResponseDescription = { statusCode: 202, headers: [{ name: 'content-type', value: 'text/plain' }], body: 'ok' }
 * ```
 */
export interface ResponseDescription {
  /** The HTTP status. */
  statusCode: number
  /** Headers, in order. */
  headers: Array<{ name: string; value: string }>
  /** The body: a string as it is, anything else as JSON. */
  body: unknown
}

/**
 * What an execution or job records of an error: its message, name and code.
 *
 * @example
 * ```ts
 * import type { ErrorInfo } from 'hookflow'
 *
 * const error: ErrorInfo = { name: 'HookflowError', code: 'request_failed', message: 'POST https://example.com answered 500' }
 * ```
 */
export interface ErrorInfo {
  /** What went wrong. */
  message: string
  /** The error's class name. */
  name?: string
  /** The error's stable code, when it had one. */
  code?: string
}

/**
 * The record of one node run inside an execution: its status, result or error, and times.
 *
 * @example
 * ```ts
 * import { createEngine, type JobRecord } from 'hookflow'
 *
 * const engine = createEngine()
 * const execution = await engine.getExecution('ex-1')
 * const failed: JobRecord[] = execution?.jobs.filter((job) => job.status === 'failed') ?? []
 * ```
 */
export interface JobRecord {
  /** Position in the execution: jobs sort by it. */
  index: number
  /** The key of the node that ran. */
  nodeKey: string
  /** The node's type. */
  type: string
  /** How the node run ended, or `waiting` while parked. */
  status: JobStatus
  /** What the node returned (`$jobsMapByNodeKey.<key>`). */
  result: unknown
  /** The error the node failed with, or null. */
  error: ErrorInfo | null
  /** When the node started (epoch ms). */
  startedAt: number
  /** When the node finished (epoch ms). */
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

/**
 * One run of a workflow as stored: its trigger context, status, answer, error, times and jobs.
 *
 * @example
 * ```ts
 * import { createEngine, type ExecutionRecord } from 'hookflow'
 *
 * const engine = createEngine()
 * const failed: ExecutionRecord[] = await engine.listExecutions({ status: 'failed', limit: 10 })
 * for (const execution of failed) console.log(execution.id, execution.error?.message)
 * ```
 */
export interface ExecutionRecord {
  /** Unique id. */
  id: string
  /** The workflow it runs. */
  workflowKey: string
  /** Unique across the store when set: a second create with the same key finds the first. */
  eventKey: string | null
  /**
   * When set, the event key is held only until this time (epoch ms): a later create with the
   * same key takes it over (the holder's `eventKey` becomes null) instead of finding the holder.
   * Stores give it back only when it was set, so a record reads back as it was written.
   */
  eventKeyExpiresAt?: number | null
  /** True when the delivery waits for the run's answer. */
  sync: boolean
  /** Where the run is: `queued`, `started`, or a final status. */
  status: ExecutionStatus
  /** Why it was aborted (`timeout`, `canceled`), or null. */
  reason: AbortReason | string | null
  /** The trigger variables it runs with (`$context`). */
  context: TriggerContext
  /** The first Response node's answer (sync workflows). */
  response: ResponseDescription | null
  /** The error it ended with, or null. */
  error: ErrorInfo | null
  /** When it was stored (epoch ms). */
  createdAt: number
  /** When a worker first started it, or null. */
  startedAt: number | null
  /** When it reached a final status, or null. */
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
