/**
 * @module
 * The life of one execution once it is stored: run inline (sync) or as a queue delivers it
 * (async), with its claim renewed while it runs, each job reported (and saved on a durable
 * store before the next node), and the final state stored. The engine owns the workflows and
 * the public API; this owns what runs.
 */
import type { ExecutionPatch, Store } from '../storage/store.js'
import { JobSaves } from './job-saves.js'
import type { Delivery, Queue, Redelivery } from '../queue/queue.js'
import type { RunLimits } from './node-type.js'
import { backoffDelay } from './node-retry.js'
import type { CompiledWorkflow } from './compile-workflow.js'
import type { EngineEvents } from './events.js'
import { type ExecutionRecord, executionRecord, FINAL_STATUSES, type JobRecord } from './execution.js'
import { ExecutionAbort } from './execution-abort.js'
import type { SyncSettlement, Dispatch } from './engine.js'
import { LazyAbort } from './lazy-abort.js'
import { type ProcessOptions, type ProcessOutcome, processExecution } from './processor.js'
import { processOwnerId } from './process-owner.js'
import { StorageUnavailableError } from './storage-unavailable-error.js'
import { WorkflowSlots } from './workflow-slots.js'
import type { EngineLog } from './logging/engine-log.js'
import { type HeldRun, RunAbandoned, RunClaims } from './run-claims.js'
import { releaseDeadOwners } from './dead-owners.js'
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

/** How long an execution the store failed under waits before it is claimed again: 1 s, doubling per attempt, at most 30 s. */
export function unavailableBackoff(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(attempts - 1, 0), 30_000)
}

export class ExecutionRunner {
  /** This engine's claims: a random part, and this process and host when they can be told (see process-owner). */
  readonly workerId = processOwnerId()
  /** Sync runs in flight, for `idle()`. */
  readonly inline = new Set<Promise<unknown>>()
  /** The claims of the executions running here. */
  readonly claims: RunClaims
  /** Per-workflow `concurrency` and `maxQueued`; the engine reserves, runs enter. */
  readonly slots: WorkflowSlots

  constructor(
    private readonly store: Store,
    readonly leaseMs: number,
    private readonly host: RunnerHost,
  ) {
    this.slots = new WorkflowSlots(async (id) => (await store.executions.get(id))?.status)
    this.claims = new RunClaims(store.executions, this.workerId, leaseMs, { log: host.log, error: (error) => host.emit('error', error) })
  }

  /**
   * Aborts an execution running in this process; resolves once its run is over here (its end
   * stored, or given back). Undefined when none runs here.
   */
  abortRunning(id: string, reason: unknown): Promise<void> | undefined {
    const running = this.claims.get(id)
    if (!running) return undefined
    running.abort.abort(reason)
    return running.whenOver()
  }

  /**
   * Stores a cancel, wherever the execution runs: `aborted` with reason `canceled`, written only
   * while it is not final. A worker running it (here or in another process) finds its claim gone
   * at its next write or heartbeat and stops without storing more. False when it was final.
   */
  async storeCancel(id: string): Promise<boolean> {
    const before = await this.store.executions.get(id)
    if (!before || FINAL_STATUSES.has(before.status)) return false
    const patch = { status: 'aborted', reason: 'canceled', error: null, finishedAt: Date.now(), wakeAt: null } as const
    // A store without conditions resolves void: taken as stored (the read above is its only check).
    if ((await this.store.executions.update(id, patch, { unfinished: true })) === false) return false
    // Claimed here meanwhile: its run stops now rather than at its next write.
    this.claims.get(id)?.abort.abort(new ExecutionAbort('canceled'))
    const final = { ...before, ...patch, jobs: [] }
    this.#finished(final, undefined)
    return true
  }

  /**
   * Releases the claims of dead processes on this host (each released execution is handed to
   * the queue anew) and the releases the store could not take before.
   */
  async sweep(): Promise<void> {
    await this.claims.retryReleases()
    // A store that does not outlive its process has no dead owners to look for.
    if (!this.store.durable) return
    let released: Array<{ owner: string; ids: string[] }>
    try {
      released = await releaseDeadOwners(this.store.executions, Date.now())
    } catch (error) {
      this.host.emit('error', new StorageUnavailableError('Claims of dead processes could not be looked for', error))
      return
    }
    this.host.log.available('store')
    for (const { owner, ids } of released) {
      this.host.log.claimsReleased({ owner, executions: ids.length, why: 'dead-owner' })
      for (const id of ids) {
        this.host.queue.enqueue(id, { fresh: true }).catch((error: unknown) =>
          this.host.emit('error', new StorageUnavailableError(`Execution ${id}, released from a dead process, could not be queued`, error, 'queue')),
        )
      }
    }
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
    const run = this.claims.hold(execution.id, abort)
    const traced = this.host.telemetry.executionStarted(execution)
    // A free slot is taken at once: no await (a microtask per delivery) unless it must wait.
    const slot = this.slots.enter(workflow, execution.id, abort)
    const finished =
      slot instanceof Promise
        ? slot.then((release) => this.#runInline(workflow, execution, run, release, settle, traced))
        : this.#runInline(workflow, execution, run, slot, settle, traced)
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
    run: HeldRun,
    release: () => void,
    settle: (settlement: SyncSettlement) => void,
    traced: ExecutionTrace | undefined,
  ): Promise<ExecutionRecord> {
    const jobs = this.#jobs(execution, run, traced)
    const ran = processExecution({
      workflow,
      execution,
      abort: run.abort,
      limits: this.host.limits,
      onResponse: (response) => settle({ kind: 'response', response }),
      onJob: jobs.onJob,
      beforeNode: jobs.beforeNode,
      onRetry: this.#onRetry(execution),
    })
    const end = (outcome: ProcessOutcome): Promise<ExecutionRecord> => {
      release()
      this.claims.drop(run)
      if (run.abandoned) {
        // Not answered yet: the caller gets 503; a worker resumes the run after its last saved job.
        settle({ kind: 'unavailable', error: run.abandoned })
        traced?.span.end()
        const given = (): ExecutionRecord => {
          run.over()
          return { ...execution, jobs: outcome.jobs }
        }
        return this.#abandoned(execution, run.abandoned).then(given, given)
      }
      outcome = honourAbort(outcome, run.abort)
      if (outcome.status === 'parked') {
        // Registration refuses delay nodes in sync workflows; a custom node that waits fails here.
        outcome = { ...outcome, status: 'error', error: { message: 'A sync execution cannot wait (flow.wait); use an async workflow' } }
      }
      settle({ kind: 'finished', status: outcome.status as ExecutionRecord['status'] })
      return this.finish(execution, outcome, workflow, traced, run, jobs.saves)
    }
    return ran instanceof Promise ? ran.then(end) : end(ran)
  }

  /**
   * Claims and runs one execution the queue delivered. Rejects when the store failed under it
   * (the execution is left to be resumed after a backoff), so a queue with retries of its own
   * counts a failed attempt. With `redeliverHeld`, an execution another worker holds (or not
   * due yet) resolves with when to deliver it again.
   */
  async work(id: string, delivery?: Delivery): Promise<void | Redelivery> {
    // Running here already (its heartbeat came late past the lease, and the queue found it
    // claimable): never a second run of it in this process; its own run stores its end.
    if (this.claims.get(id)) return this.#heldHere(id, delivery)
    // Claimed for this worker by the queue's poll already (`executions.claimNext`), or now.
    const execution = delivery?.claimed?.id === id ? delivery.claimed : await this.#claim(id)
    if (!execution) {
      this.slots.forget(id)
      return delivery?.redeliverHeld ? this.#whenClaimable(id) : undefined
    }
    // Started here while the claim was on its way: the claim only renewed our own.
    if (this.claims.get(id)) return this.#heldHere(id, delivery)
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
    const run = this.claims.hold(id, abort)
    const slot = this.slots.enter(workflow, id, abort)
    // Waiting for a slot of its workflow does not hold the queue's worker; idle() still waits.
    if (slot instanceof Promise) this.#track(slot.then((release) => this.#run(execution, workflow, run, release, traced).catch(() => undefined)))
    else return this.#run(execution, workflow, run, slot, traced, delivery)
  }

  /** Claims a delivered id; undefined when another worker holds it, it is final or not due. */
  async #claim(id: string): Promise<ExecutionRecord | undefined> {
    let execution: ExecutionRecord | undefined
    try {
      execution = await this.store.executions.claim(id, { owner: this.workerId, leaseMs: this.leaseMs, now: Date.now() })
    } catch (error) {
      this.slots.forget(id)
      const failure = new StorageUnavailableError(`Execution ${id} could not be claimed`, error)
      this.host.emit('error', failure)
      // The claim may have been stored and only its answer lost: given back, or it would wait
      // for its lease. (Nothing happens when it was not stored.)
      await this.claims.release(id, Date.now() + unavailableBackoff(1))
      throw failure
    }
    this.host.log.available('store')
    return execution
  }

  /** An execution this process runs already: delivered again later, if the queue asks when. */
  #heldHere(id: string, delivery: Delivery | undefined): Redelivery | undefined {
    return delivery?.redeliverHeld ? { retryAt: Date.now() + this.leaseMs } : undefined
  }

  /** A claim lost to another worker, or an execution not due yet: when to deliver it again. */
  async #whenClaimable(id: string): Promise<Redelivery | undefined> {
    const current = await this.store.executions.get(id)
    if (current?.status === 'started') return { retryAt: Date.now() + this.leaseMs }
    if (current?.status === 'queued' && current.wakeAt && current.wakeAt > Date.now()) return { retryAt: current.wakeAt }
    return undefined
  }

  async #run(
    execution: ExecutionRecord,
    workflow: CompiledWorkflow,
    run: HeldRun,
    release: () => void,
    traced: ExecutionTrace | undefined,
    delivery?: Delivery,
  ): Promise<void | Redelivery> {
    const id = execution.id
    const abort = run.abort
    try {
      // A second attempt (after a crash or a retry) continues after the last resolved job.
      let resume: JobRecord[] | undefined
      try {
        resume = execution.attempts > 1 ? await this.store.jobs.list(id) : undefined
      } catch (error) {
        run.abandon(new RunAbandoned('store-failed', `The jobs of execution ${id} could not be read`, new StorageUnavailableError(`The jobs of execution ${id} could not be read`, error)))
      }
      const jobs = this.#jobs(execution, run, traced)
      const ran = run.abandoned ? undefined : processExecution({ workflow, execution, abort, resume, limits: this.host.limits, onJob: jobs.onJob, beforeNode: jobs.beforeNode, onRetry: this.#onRetry(execution) })
      const ended = ran instanceof Promise ? await ran : ran
      this.claims.drop(run)
      if (run.abandoned || !ended) {
        traced?.span.end()
        return await this.#abandoned(execution, run.abandoned!, delivery)
      }
      const outcome = honourAbort(ended, abort)
      if (outcome.status === 'parked') {
        traced?.end('parked')
        await this.#park(execution, outcome, outcome.wakeAt ?? Date.now(), {}, jobs.saves)
        return
      }
      const retry = workflow.retry
      const retries = Number(RETRY_REASON.exec(execution.reason ?? '')?.[1] ?? 0)
      if (retry && (outcome.status === 'error' || outcome.status === 'failed') && retries + 1 < retry.attempts) {
        const delayMs = backoffDelay(retry, retries + 1)
        const wakeAt = Date.now() + delayMs
        this.host.log.retryScheduled({ workflowKey: execution.workflowKey, executionId: id, attempt: retries + 1, delayMs, error: outcome.error })
        traced?.end('parked')
        await this.#park(execution, outcome, wakeAt, { reason: `retry:${retries + 1}`, error: outcome.error }, jobs.saves)
        return
      }
      const failure = await this.#complete(execution, outcome, workflow, undefined, traced, jobs.saves)
      if (failure) throw failure
    } finally {
      this.claims.drop(run)
      release()
      run.over()
    }
  }

  /**
   * A run that stopped without an outcome to store. The store failed: its claim is given back
   * with a backoff and the failure thrown (for the queue's own retries). Lost: the other worker
   * has it. Closing: `close()` gives the claim back; a queue that redelivers only when told
   * delivers it again in a moment, to another worker.
   */
  async #abandoned(execution: ExecutionRecord, abandoned: RunAbandoned, delivery?: Delivery): Promise<void | Redelivery> {
    if (abandoned.why === 'closing' && delivery?.redeliverHeld) return { retryAt: Date.now() + 1000 }
    if (abandoned.why === 'claim-lost') return this.#claimLost(execution)
    if (abandoned.why !== 'store-failed') return
    const failure = abandoned.cause instanceof Error ? abandoned.cause : abandoned
    this.host.emit('error', failure)
    await this.claims.release(execution.id, Date.now() + unavailableBackoff(execution.attempts))
    throw failure
  }

  /**
   * Contract A: the execution goes back to `queued` with its `wakeAt`, then to the queue with
   * the delay; its claim needs no release, a due `queued` execution is claimable by anyone.
   */
  async #park(execution: ExecutionRecord, outcome: ProcessOutcome, wakeAt: number, patch: ExecutionPatch, saves: JobSaves | undefined): Promise<void> {
    const id = execution.id
    let jobs = outcome.jobs
    try {
      if (saves) jobs = await saves.last()
      if (!(await this.#storeLast(id, { ...patch, status: 'queued', wakeAt }, jobs))) return this.#claimLost(execution)
    } catch (error) {
      // Still claimed here: given back to be resumed (the parking node then runs again).
      const failure = new StorageUnavailableError(`Execution ${id} could not be parked until ${new Date(wakeAt).toISOString()}`, error)
      this.host.emit('error', failure)
      await this.claims.release(id, Date.now() + unavailableBackoff(execution.attempts))
      throw failure
    }
    saves?.stored(jobs)
    try {
      await this.host.queue.enqueue(id, { delayMs: Math.max(wakeAt - Date.now(), 0) })
      this.host.telemetry.queued(execution.workflowKey)
      this.host.log.available('queue')
    } catch (error) {
      // Stored as queued with its wake time: a poll or the queue's sweep finds it when due.
      this.host.emit('error', new StorageUnavailableError(`Execution ${id} could not be queued to wake at ${new Date(wakeAt).toISOString()}`, error, 'queue'))
    }
  }

  #onRetry(execution: ExecutionRecord): NonNullable<ProcessOptions['onRetry']> {
    return ({ nodeKey, attempt, delayMs, error }) =>
      this.host.log.retryScheduled({ workflowKey: execution.workflowKey, executionId: execution.id, nodeKey, attempt, delayMs, error })
  }

  /**
   * Per job: the event, and on a durable store the save (see JobSaves) before the next node
   * runs; the last ones are saved with the end or the park. A save the store fails is not the
   * node's failure: the run stops (abandoned) and is resumed later from its last saved job.
   */
  #jobs(execution: ExecutionRecord, run: HeldRun, traced: ExecutionTrace | undefined): Pick<ProcessOptions, 'onJob' | 'beforeNode'> & { saves?: JobSaves } {
    const ref = { id: execution.id, workflowKey: execution.workflowKey }
    const { telemetry } = this.host
    const report = (job: JobRecord): void => {
      telemetry.jobFinished(job)
      traced?.job(job)
      this.host.emit('job:finished', job, ref)
    }
    if (!this.store.durable) return { onJob: report }
    const saves = new JobSaves(this.store, execution.id, { owner: this.workerId }, run, (jobs) => {
      this.host.log.available('store')
      for (const job of jobs) report(job)
    })
    return { onJob: saves.onJob, beforeNode: saves.beforeNode, saves }
  }

  /** A run's last jobs and its new state: in one write where the store can (`executions.finish`), else one after the other. False when the claim was lost. */
  async #storeLast(id: string, patch: ExecutionPatch, jobs: readonly JobRecord[]): Promise<boolean> {
    const held = { owner: this.workerId }
    const { executions } = this.store
    if (jobs.length > 0 && executions.finish) return executions.finish(id, patch, jobs, held)
    const saved = jobs.length > 0 ? await this.store.jobs.save(id, jobs, held) : true
    return saved !== false && (await executions.update(id, patch, held)) !== false
  }

  /** Stores the final state and tells; a store failure is reported (the execution is given back) and the record returned all the same. */
  async finish(execution: ExecutionRecord, outcome: ProcessOutcome, workflow: CompiledWorkflow | undefined, traced?: ExecutionTrace, run?: HeldRun, saves?: JobSaves): Promise<ExecutionRecord> {
    const final = finalRecord(execution, outcome)
    try {
      await this.#complete(execution, outcome, workflow, final, traced, saves)
    } finally {
      // Even when a listener of `execution:finished` threw: a cancel waits for this.
      run?.over()
    }
    return final
  }

  /**
   * Stores the final state, then emits `execution:finished`. When the store fails, the claim is
   * given back with a backoff (a later attempt replays the saved jobs and stores the end) and
   * the failure is returned; nothing is emitted, as the execution has not finished in the store.
   * A write the store refuses (the claim was lost: taken over, or canceled) stores nothing more.
   */
  async #complete(
    execution: ExecutionRecord,
    outcome: ProcessOutcome,
    workflow: CompiledWorkflow | undefined,
    final = finalRecord(execution, outcome),
    traced?: ExecutionTrace,
    saves?: JobSaves,
  ): Promise<StorageUnavailableError | undefined> {
    // A durable store has the jobs but the last ones (kept to go with the end); the others get them all now.
    let jobs = outcome.jobs
    try {
      if (saves) jobs = await saves.last()
      const drop = workflow?.definition.options?.deleteExecutionOnStatus
      if (drop?.includes(final.status as 'resolved')) {
        await this.store.executions.delete(execution.id)
      } else {
        const { status, reason, response, error, finishedAt } = final
        const stored = await this.#storeLast(execution.id, { status, reason, response, error, finishedAt }, jobs)
        if (!stored) {
          traced?.span.end()
          this.#claimLost(execution)
          return undefined
        }
      }
    } catch (error) {
      const failure = new StorageUnavailableError(`Execution ${execution.id} finished but could not be stored; it is resumed to store its end`, error)
      this.host.emit('error', failure)
      traced?.span.end()
      await this.claims.release(execution.id, Date.now() + unavailableBackoff(execution.attempts))
      return failure
    }
    saves?.stored(jobs)
    this.host.log.available('store')
    this.#finished(final, traced)
    return undefined
  }

  /** An end stored: counted, traced, emitted and logged. */
  #finished(final: ExecutionRecord, traced: ExecutionTrace | undefined): void {
    this.host.telemetry.executionFinished(final)
    traced?.end(final)
    this.host.emit('execution:finished', final)
    this.host.log.executionFinished(final)
  }

  /** The store refused a write of a run here: one line, and nothing else (not an error). */
  #claimLost(execution: ExecutionRecord): void {
    this.host.log.claimLost({ workflowKey: execution.workflowKey, executionId: execution.id, owner: this.workerId })
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

/**
 * An abort that came after the run's last step (while its last job was being saved, say) still
 * ends it: a cancel that was acknowledged is never followed by a park or another end.
 */
function honourAbort(outcome: ProcessOutcome, abort: LazyAbort): ProcessOutcome {
  if (!abort.aborted || outcome.status === 'aborted') return outcome
  return { ...outcome, status: 'aborted', reason: ExecutionAbort.reasonOf(abort.reason), error: null }
}

function finalRecord(execution: ExecutionRecord, outcome: ProcessOutcome): ExecutionRecord {
  const final = executionRecord(execution, execution.context, outcome.response, outcome.error, outcome.jobs)
  final.status = outcome.status === 'parked' ? 'error' : outcome.status
  final.reason = outcome.reason
  final.finishedAt = Date.now()
  return final
}
