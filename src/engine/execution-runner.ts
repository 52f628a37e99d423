/**
 * @module
 * The life of one execution once it is stored: run inline (sync) or as a queue delivers it
 * (async), with its claim renewed while it runs, each job reported (and saved on a durable
 * store before the next node), and the final state stored. The engine owns the workflows and
 * the public API; this owns what runs.
 */
import type { ExecutionPatch, Store } from '../storage/store.js'
import type { Queue } from '../queue/queue.js'
import type { RunLimits } from './node-type.js'
import { backoffDelay } from './node-retry.js'
import type { CompiledWorkflow } from './compile-workflow.js'
import type { EngineEvents } from './events.js'
import { type ExecutionRecord, executionRecord, type JobRecord } from './execution.js'
import type { SyncSettlement, Dispatch } from './engine.js'
import { LazyAbort } from './lazy-abort.js'
import { type ProcessOptions, type ProcessOutcome, processExecution } from './processor.js'
import { randomId } from './random-id.js'
import { StorageUnavailableError } from './storage-unavailable-error.js'
import { WorkflowSlots } from './workflow-slots.js'
import { LONGEST_TIMER } from './long-timeout.js'
import type { EngineLog } from './logging/engine-log.js'
import type { EngineTelemetry, ExecutionTrace } from './telemetry/engine-telemetry.js'

export interface RunnerHost {
  emit<K extends keyof EngineEvents>(event: K, ...args: EngineEvents[K]): boolean
  workflow(key: string): CompiledWorkflow | undefined
  /** Where parked executions (a delay, an execution retry) go back to, with a delay. */
  readonly queue: Queue
  readonly limits: Readonly<RunLimits>
  readonly log: EngineLog
  readonly telemetry: EngineTelemetry
}

// The execution-level retries so far, kept in `reason` while it waits (`retry:2`): every store
// already holds that field, and a listing shows why a queued execution sleeps.
const RETRY_REASON = /^retry:(\d+)$/

export class ExecutionRunner {
  readonly workerId = randomId()
  /** Sync runs in flight, for `idle()`. */
  readonly inline = new Set<Promise<unknown>>()
  readonly #running = new Map<string, LazyAbort>()
  #heartbeat: ReturnType<typeof setInterval> | undefined
  /** Per-workflow `concurrency` and `maxQueued`; the engine reserves, runs enter. */
  readonly slots: WorkflowSlots

  constructor(
    private readonly store: Store,
    readonly leaseMs: number,
    private readonly host: RunnerHost,
  ) {
    this.slots = new WorkflowSlots(async (id) => (await store.executions.get(id))?.status)
  }

  /** Aborts an execution running in this process; false when none is. */
  abortRunning(id: string, reason: unknown): boolean {
    const running = this.#running.get(id)
    running?.abort(reason)
    return running !== undefined
  }

  runSync(workflow: CompiledWorkflow, execution: ExecutionRecord, abort: LazyAbort): Pick<Dispatch, 'settled' | 'finished' | 'settlement'> {
    // Until `settled` exists, the first settlement is kept: a run whose nodes are all synchronous
    // settles before this returns, and its answer needs no promise, timer or client watch.
    let early: SyncSettlement | undefined
    let resolve: ((settlement: SyncSettlement) => void) | undefined
    const settle = (settlement: SyncSettlement): void => {
      if (resolve) resolve(settlement)
      else early ??= settlement
    }
    const stop = this.#hold(execution.id, abort)
    // A free slot is taken at once: no await (a microtask per delivery) unless it must wait.
    const slot = this.slots.enter(workflow, execution.id, abort)
    const finished =
      slot instanceof Promise
        ? slot.then((release) => this.#runInline(workflow, execution, abort, stop, release, settle))
        : this.#runInline(workflow, execution, abort, stop, slot, settle)
    this.#track(finished)
    if (early) return { settlement: early, settled: Promise.resolve(early), finished }
    const settled = new Promise<SyncSettlement>((r) => {
      resolve = r
    })
    return { settled, finished }
  }

  #runInline(
    workflow: CompiledWorkflow,
    execution: ExecutionRecord,
    abort: LazyAbort,
    stop: () => void,
    release: () => void,
    settle: (settlement: SyncSettlement) => void,
  ): Promise<ExecutionRecord> {
    const traced = this.host.telemetry.executionStarted(execution)
    const ran = processExecution({
      workflow,
      execution,
      abort,
      limits: this.host.limits,
      onResponse: (response) => settle({ kind: 'response', response }),
      onJob: this.#onJob(execution, traced),
      onRetry: this.#onRetry(execution),
    })
    const end = (outcome: ProcessOutcome): Promise<ExecutionRecord> => {
      release()
      stop()
      if (outcome.status === 'parked') {
        // Registration refuses delay nodes in sync workflows; a custom node that waits fails here.
        outcome = { ...outcome, status: 'error', error: { message: 'A sync execution cannot wait (flow.wait); use an async workflow' } }
      }
      settle({ kind: 'finished', status: outcome.status as ExecutionRecord['status'] })
      return this.finish(execution, outcome, workflow, traced)
    }
    return ran instanceof Promise ? ran.then(end) : end(ran)
  }

  async work(id: string): Promise<void> {
    let execution: ExecutionRecord | undefined
    try {
      execution = await this.store.executions.claim(id, { owner: this.workerId, leaseMs: this.leaseMs, now: Date.now() })
    } catch (error) {
      this.slots.forget(id)
      this.host.emit('error', new StorageUnavailableError(`Execution ${id} could not be claimed`, error))
      return
    }
    if (!execution) return this.slots.forget(id)
    this.host.emit('execution:started', execution)
    const traced = this.host.telemetry.executionStarted(execution)
    const workflow = this.host.workflow(execution.workflowKey)
    if (!workflow) {
      this.slots.forget(id)
      const error = { message: `Workflow "${execution.workflowKey}" is not registered` }
      await this.finish(execution, { status: 'error', reason: null, response: null, error, jobs: [] }, undefined, traced)
      return
    }
    const abort = new LazyAbort()
    const stop = this.#hold(id, abort)
    const slot = this.slots.enter(workflow, id, abort)
    // Waiting for a slot of its workflow does not hold the queue's worker; idle() still waits.
    if (slot instanceof Promise) this.#track(slot.then((release) => this.#run(execution, workflow, abort, stop, release, traced)))
    else await this.#run(execution, workflow, abort, stop, slot, traced)
  }

  async #run(
    execution: ExecutionRecord,
    workflow: CompiledWorkflow,
    abort: LazyAbort,
    stop: () => void,
    release: () => void,
    traced: ExecutionTrace | undefined,
  ): Promise<void> {
    const id = execution.id
    try {
      // A second attempt (after a crash or a retry) continues after the last resolved job.
      const resume = execution.attempts > 1 ? await this.store.jobs.list(id) : undefined
      const ran = processExecution({ workflow, execution, abort, resume, limits: this.host.limits, onJob: this.#onJob(execution, traced), onRetry: this.#onRetry(execution) })
      const outcome = ran instanceof Promise ? await ran : ran
      stop()
      if (outcome.status === 'parked') {
        traced?.end('parked')
        await this.#park(execution, outcome, outcome.wakeAt ?? Date.now(), {})
        return
      }
      const retry = workflow.retry
      const retries = Number(RETRY_REASON.exec(execution.reason ?? '')?.[1] ?? 0)
      if (retry && (outcome.status === 'error' || outcome.status === 'failed') && retries + 1 < retry.attempts) {
        const delayMs = backoffDelay(retry, retries + 1)
        const wakeAt = Date.now() + delayMs
        this.host.log.retryScheduled({ workflowKey: execution.workflowKey, executionId: id, attempt: retries + 1, delayMs, error: outcome.error })
        traced?.end('parked')
        await this.#park(execution, outcome, wakeAt, { reason: `retry:${retries + 1}`, error: outcome.error })
        return
      }
      await this.finish(execution, outcome, workflow, traced)
    } catch (error) {
      stop()
      traced?.span.end()
      this.host.emit('error', new StorageUnavailableError(`Execution ${id} could not be resumed`, error))
    } finally {
      release()
    }
  }

  /**
   * Contract A: the execution goes back to `queued` with its `wakeAt`, then to the queue with
   * the delay; its claim needs no release, a due `queued` execution is claimable by anyone.
   */
  async #park(execution: ExecutionRecord, outcome: ProcessOutcome, wakeAt: number, patch: ExecutionPatch): Promise<void> {
    const id = execution.id
    try {
      if (outcome.jobs.length > 0 && !this.store.durable) await this.store.jobs.save(id, outcome.jobs)
      await this.store.executions.update(id, { ...patch, status: 'queued', wakeAt })
      await this.host.queue.enqueue(id, { delayMs: Math.max(wakeAt - Date.now(), 0) })
      this.host.telemetry.queued(execution.workflowKey)
    } catch (error) {
      this.host.emit('error', new StorageUnavailableError(`Execution ${id} could not be parked until ${new Date(wakeAt).toISOString()}`, error))
    }
  }

  /** Marks an execution as running here (for `cancel`) and keeps its claim alive; returns the release. */
  #hold(id: string, abort: LazyAbort): () => void {
    this.#running.set(id, abort)
    // One heartbeat renews every execution running here: a timer per execution (setInterval
    // plus clearInterval) cost more than the rest of an execution's bookkeeping.
    this.#heartbeat ??= this.#beat()
    return () => {
      this.#running.delete(id)
    }
  }

  /** Every `leaseMs / 3`, renews the claim of each execution held; stops once none is. */
  #beat(): ReturnType<typeof setInterval> {
    const heartbeat = setInterval(() => {
      if (this.#running.size === 0) {
        clearInterval(heartbeat)
        this.#heartbeat = undefined
        return
      }
      const claim = { owner: this.workerId, leaseMs: this.leaseMs, now: Date.now() }
      for (const id of this.#running.keys()) {
        this.store.executions
          .renew(id, claim)
          .catch((error: unknown) => this.host.emit('error', new StorageUnavailableError(`The claim on ${id} could not be renewed`, error)))
      }
    }, Math.min(Math.max(Math.floor(this.leaseMs / 3), 1), LONGEST_TIMER))
    heartbeat.unref?.()
    return heartbeat
  }

  #onRetry(execution: ExecutionRecord): NonNullable<ProcessOptions['onRetry']> {
    return ({ nodeKey, attempt, delayMs, error }) =>
      this.host.log.retryScheduled({ workflowKey: execution.workflowKey, executionId: execution.id, nodeKey, attempt, delayMs, error })
  }

  /** Per job: the event, and on a durable store the save, before the next node runs. */
  #onJob(execution: ExecutionRecord, traced: ExecutionTrace | undefined): (job: JobRecord) => void | Promise<void> {
    const ref = { id: execution.id, workflowKey: execution.workflowKey }
    const { telemetry } = this.host
    const report = (job: JobRecord): void => {
      telemetry.jobFinished(job)
      traced?.job(job)
      this.host.emit('job:finished', job, ref)
    }
    if (!this.store.durable) return report
    return async (job) => {
      await this.store.jobs.save(execution.id, [job])
      report(job)
    }
  }

  async finish(
    execution: ExecutionRecord,
    outcome: ProcessOutcome,
    workflow: CompiledWorkflow | undefined,
    traced?: ExecutionTrace,
  ): Promise<ExecutionRecord> {
    const final = executionRecord(execution, execution.context, outcome.response, outcome.error, outcome.jobs)
    final.status = outcome.status === 'parked' ? 'error' : outcome.status
    final.reason = outcome.reason
    final.finishedAt = Date.now()
    try {
      const drop = workflow?.definition.options?.deleteExecutionOnStatus
      if (drop?.includes(final.status as 'resolved')) {
        await this.store.executions.delete(execution.id)
        this.#finished(final, traced)
        return final
      }
      // A durable store has each job already; the others get them in one batch.
      if (outcome.jobs.length > 0 && !this.store.durable) await this.store.jobs.save(execution.id, outcome.jobs)
      await this.store.executions.update(execution.id, {
        status: final.status,
        reason: final.reason,
        response: final.response,
        error: final.error,
        finishedAt: final.finishedAt,
      })
    } catch (error) {
      this.host.emit('error', new StorageUnavailableError(`Execution ${execution.id} finished but could not be stored`, error))
    }
    this.#finished(final, traced)
    return final
  }

  #finished(final: ExecutionRecord, traced: ExecutionTrace | undefined): void {
    this.host.telemetry.executionFinished(final)
    traced?.end(final)
    this.host.emit('execution:finished', final)
    this.host.log.executionFinished(final)
  }

  // The promise itself goes into `inline` (idle() waits for it settled either way): a derived
  // promise plus a `finally` per run cost two more promises and a microtask.
  #track(promise: Promise<unknown>): void {
    this.inline.add(promise)
    promise.then(
      () => void this.inline.delete(promise),
      (error: unknown) => {
        this.inline.delete(promise)
        this.host.emit('error', error instanceof Error ? error : new Error(String(error)))
      },
    )
  }
}
