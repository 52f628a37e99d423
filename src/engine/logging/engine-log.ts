/**
 * @module
 * What the engine and the webhook core write to the application's logger, and in which words:
 * one line per event, with structured fields, so every failure is seen where it happens.
 *
 * - `warn`: an execution that ended failed, error or aborted (with the failing node); a delivery
 *   the core answered 5xx; a retry scheduled.
 * - `error`: the store or queue unavailable (the cause's message in the line), once per outage;
 *   an `error` event nobody listens to. `warn` again when the outage ends.
 * - `info`: start, close, register. `debug`: each delivery.
 */
import type { ExecutionRecord, JobRecord } from '../execution.js'
import type { LogFields, Logger } from './logger.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { Outage, type OutageSource } from './outage.js'

const FAILED = new Set(['failed', 'error', 'aborted'])

/** The causes' messages, outermost first: where a wrapped store error says what to do (`run store.migrate()`). */
export function causeMessage(error: unknown): string | undefined {
  const messages: string[] = []
  let cause = (error as { cause?: unknown } | null)?.cause
  for (let depth = 0; cause !== undefined && cause !== null && depth < 8; depth++) {
    const message = cause instanceof Error ? cause.message : String(cause)
    if (message && !messages.includes(message)) messages.push(message)
    cause = (cause as { cause?: unknown }).cause
  }
  return messages.length > 0 ? messages.join(': ') : undefined
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** The job that ended the run: the last one that did not resolve, else the last one. */
function failingJob(jobs: readonly JobRecord[]): JobRecord | undefined {
  for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i]!.status !== 'resolved') return jobs[i]
  return jobs[jobs.length - 1]
}

/** The queue's failures say so (`StorageUnavailableError.source`); the rest are the store's. */
function sourceOf(error: unknown): OutageSource {
  return (error as { source?: unknown } | null)?.source === 'queue' ? 'queue' : 'store'
}

export class EngineLog {
  readonly #logger: Logger
  readonly #debug: boolean
  readonly #outages: Record<OutageSource, Outage> = { store: new Outage(), queue: new Outage() }

  constructor(logger: Logger) {
    this.#logger = logger
    this.#debug = logger.isLevelEnabled?.('debug') ?? true
  }

  /** False when a debug line would be dropped: the per-delivery line costs nothing then. */
  get debugEnabled(): boolean {
    return this.#debug && (this.#logger.isLevelEnabled?.('debug') ?? true)
  }

  executionFinished(execution: ExecutionRecord): void {
    if (!FAILED.has(execution.status)) return
    const job = failingJob(execution.jobs)
    const error = execution.error ?? (job?.error || null)
    const fields: LogFields = {
      workflowKey: execution.workflowKey,
      executionId: execution.id,
      status: execution.status,
      reason: execution.reason ?? undefined,
      nodeKey: job?.nodeKey,
      nodeType: job?.type,
      errorCode: error?.code,
      errorMessage: error?.message,
      durationMs: execution.finishedAt === null ? undefined : execution.finishedAt - (execution.startedAt ?? execution.createdAt),
      attempt: execution.attempts,
    }
    const why = execution.status === 'aborted' ? ` (${execution.reason ?? 'aborted'})` : job ? ` at node "${job.nodeKey}"` : ''
    this.#logger.warn(fields, `execution ${execution.status}${why}${error ? `: ${error.message}` : ''}`)
  }

  retryScheduled(fields: { workflowKey: string; executionId: string; nodeKey?: string; attempt: number; delayMs: number; error: unknown }): void {
    const { error, ...rest } = fields
    const message = error instanceof Error ? error.message : (error as { message?: string } | null)?.message ?? String(error)
    const what = fields.nodeKey ? `node "${fields.nodeKey}"` : 'execution'
    this.#logger.warn({ ...rest, errorCode: errorCode(error), errorMessage: message }, `retry of ${what} scheduled in ${fields.delayMs} ms (attempt ${fields.attempt + 1}): ${message}`)
  }

  /**
   * A store or queue failure, with the cause's message (which says what to do when it can). The
   * first failure of an outage is a line at `error`; the others, until `available`, at `debug`.
   */
  unavailable(error: Error, fields: LogFields = {}, source: OutageSource = sourceOf(error)): void {
    const cause = causeMessage(error)
    const line = { ...fields, source, errorCode: errorCode(error), errorMessage: error.message, cause }
    const text = cause ? `${error.message}: ${cause}` : error.message
    if (this.#outages[source].fail(Date.now())) this.outageStarted(source, line, text)
    else if (this.debugEnabled) this.#logger.debug(line, `${source} still unavailable: ${text}`)
  }

  /** The store or queue answered: ends its outage, if one was on, with one line. */
  available(source: OutageSource): void {
    if (!this.#outages[source].active) return
    const ended = this.#outages[source].end(Date.now())
    if (ended) this.outageEnded(source, ended)
  }

  /** True while the source's outage is on (its last call failed). */
  failing(source: OutageSource): boolean {
    return this.#outages[source].active
  }

  outageStarted(source: OutageSource, fields: LogFields, text: string): void {
    this.#logger.error(fields, `${source} unavailable, retrying until it answers (one line per outage): ${text}`)
  }

  outageEnded(source: OutageSource, fields: { durationMs: number; failures: number }): void {
    const seconds = (fields.durationMs / 1000).toFixed(1)
    this.#logger.warn({ source, ...fields }, `${source} available again after ${seconds} s (${fields.failures} failed calls)`)
  }

  /** Claims of a process that is gone, given back at once instead of at the end of their lease. */
  claimsReleased(fields: { owner: string; executions: number; why: 'dead-owner' | 'closing' }): void {
    const what = fields.why === 'closing' ? 'given back on close' : 'of a dead process on this host released'
    this.#logger.warn(fields, `${fields.executions} claim(s) ${what}: ${fields.owner}`)
  }

  /**
   * A run stopped because the store refused its write: another worker took the execution over,
   * or it was canceled meanwhile. Nothing of it is stored; whoever holds it now decides its end.
   */
  claimLost(fields: { workflowKey: string; executionId: string; owner: string }): void {
    this.#logger.info(fields, `execution ${fields.executionId} is no longer held by ${fields.owner} (taken over or canceled); its run here stopped without storing more`)
  }

  /** An `error` event: always for store and queue failures, else only when no listener heard it. */
  engineError(error: Error, heard: boolean): void {
    if (errorCode(error) === 'storage_unavailable') return this.unavailable(error)
    if (heard) return
    const cause = causeMessage(error)
    this.#logger.error(
      { errorCode: errorCode(error), errorMessage: error.message, cause },
      `unhandled engine error (add engine.on('error', ...) to handle it): ${error.message}${cause ? `: ${cause}` : ''}`,
    )
  }

  /** A delivery the core answered with a 5xx of its own (not a sync run's outcome). */
  deliveryFailed(error: unknown, fields: LogFields): void {
    const code = errorCode(error)
    if (code === 'storage_unavailable') return this.unavailable(error as Error, fields)
    const message = error instanceof Error ? error.message : String(error)
    if (!HookflowError.is(error)) {
      // Not one of hookflow's answers: a bug somewhere, so the stack goes with it.
      const stack = error instanceof Error ? error.stack : undefined
      this.#logger.error({ ...fields, errorCode: 'internal_error', errorMessage: message, stack }, `delivery failed with an unexpected error: ${message}`)
      return
    }
    this.#logger.warn({ ...fields, errorCode: code, errorMessage: message }, `delivery answered ${String(fields.statusCode)} ${code}: ${message}`)
  }

  delivery(fields: LogFields): void {
    this.#logger.debug(fields, `delivery ${String(fields.method)} ${String(fields.path)} ${String(fields.statusCode)}`)
  }

  registered(fields: { workflowKey: string; mode: 'sync' | 'async'; path: string }): void {
    this.#logger.info(fields, `registered workflow "${fields.workflowKey}" (${fields.mode}) at <basePath>${fields.path}`)
  }

  lifecycle(event: 'started' | 'closed', fields: LogFields): void {
    this.#logger.info(fields, `engine ${event}`)
  }
}
