/**
 * @module
 * The records an engine keeps: executions and the jobs (one per node run) inside them.
 * Plain JSON, so every store can hold them as they are. Times are epoch milliseconds.
 */

export const EXECUTION_STATUSES = ['queued', 'started', 'resolved', 'failed', 'error', 'aborted'] as const
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

/** Statuses an execution never leaves. */
export const FINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['resolved', 'failed', 'error', 'aborted'])

export type JobStatus = 'resolved' | 'failed' | 'error' | 'aborted'

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
  flow?: { branch?: string; end?: 'resolved' | 'failed' }
}

export interface ExecutionRecord {
  id: string
  workflowKey: string
  /** Unique across the store when set: a second create with the same key finds the first. */
  eventKey: string | null
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
  /** A `queued` execution is not claimable before this time (epoch ms); missing or null: due now. */
  wakeAt?: number | null
  /** From this time (epoch ms) on, a new execution with the same `eventKey` takes the key over. */
  eventKeyExpiresAt?: number | null
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
