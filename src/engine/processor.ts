/**
 * @module
 * Walks a compiled workflow for one execution: renders each node's config, runs it (again,
 * after a backoff, for a node with `retry`), records one job per node run, follows branches
 * (the flow rejoins the chain after a branch), lets nodes run branches inline (loop,
 * parallel: see `run-frame.ts`), and stops at an end, an error, an abort or a park (a delay).
 * It knows no HTTP, store or queue: the runner persists what it returns, and a Response
 * node's answer leaves through `onResponse`.
 */
import type { CompiledNode, CompiledWorkflow } from './compile-workflow.js'
import {
  type AbortReason,
  type ErrorInfo,
  type ExecutionRecord,
  type JobRecord,
  type JobStatus,
  type ResponseDescription,
  errorInfo,
} from './execution.js'
import { ExecutionAbort } from './execution-abort.js'
import type { FlowEnd, NodeFlow, NodeRunArgs, RunLimits } from './node-type.js'
import { explainErrors } from './schema-problems.js'
import { LazyAbort } from './lazy-abort.js'
import { Frame, type FrameHost } from './run-frame.js'
import { ReplayLog } from './replay-log.js'
import { backoffDelay, pause } from './node-retry.js'
import { longTimeout } from './long-timeout.js'
import { Stop, type Step } from './stop.js'

export const DEFAULT_LIMITS: Readonly<RunLimits> = Object.freeze({ maxLoopIterations: 10_000 })

export interface ProcessOptions {
  workflow: CompiledWorkflow
  execution: ExecutionRecord
  /** Aborts the run from outside (sync timeout, client gone, cancel). */
  abort?: LazyAbort
  /** Called once, with the first Response node's answer. */
  onResponse?: (response: ResponseDescription) => void
  /** Called as each job is recorded; a returned promise (a durable save) is awaited before the next node. */
  onJob?: (job: JobRecord) => void | Promise<void>
  /**
   * Called as each node is about to run; a returned promise is awaited first. A durable runner
   * saves here the jobs it kept back, so the last ones can go with the final state.
   */
  beforeNode?: () => Promise<void> | undefined
  /** Jobs of an earlier attempt: resolved ones are taken as they are instead of running again. */
  resume?: readonly JobRecord[]
  limits?: Readonly<RunLimits>
  /** Called when a node with `retry` failed a try and runs again after `delayMs`. */
  onRetry?: (retry: { nodeKey: string; attempt: number; delayMs: number; error: unknown }) => void
}

export interface ProcessOutcome {
  /** `parked`: a node (a delay) parked it until `wakeAt`; it goes back to `queued`. */
  status: 'resolved' | 'failed' | 'error' | 'aborted' | 'parked'
  reason: AbortReason | null
  response: ResponseDescription | null
  error: ErrorInfo | null
  jobs: JobRecord[]
  wakeAt?: number | null
}

const NO_NODES: readonly CompiledNode[] = []
// The main chain's `$scopes`: always empty (a loop or parallel gives its branches their own), so
// one frozen object serves every run instead of a dictionary-mode object per run.
const NO_SCOPES: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>)

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

function untilAborted<T>(promise: PromiseLike<T>, abort: LazyAbort): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = abort.onAbort(reject)
    promise.then(
      (value) => {
        stop()
        resolve(value)
      },
      (error: unknown) => {
        stop()
        reject(error)
      },
    )
  })
}

function aborted(abort: LazyAbort): Stop {
  return new Stop('aborted', ExecutionAbort.reasonOf(abort.reason))
}

// What `run` receives; one object per node run, the rest shared by the whole execution.
class NodeArgs {
  readonly #abort: LazyAbort

  constructor(
    readonly config: unknown,
    readonly node: CompiledNode['info'],
    readonly execution: NodeRunArgs<unknown>['execution'],
    readonly jobs: Readonly<Record<string, unknown>>,
    readonly flow: NodeFlow,
    abort: LazyAbort,
    readonly previous: JobRecord | undefined,
  ) {
    this.#abort = abort
  }

  get signal(): AbortSignal {
    return this.#abort.signal
  }
}

class Run implements FrameHost {
  readonly jobs: JobRecord[] = []
  readonly jobsMap: Record<string, unknown> = Object.create(null)
  readonly executionInfo: NodeRunArgs<unknown>['execution']
  readonly limits: Readonly<RunLimits>
  readonly main: Frame
  response: ResponseDescription | null = null
  readonly #log: ReplayLog | undefined
  #next = 0

  constructor(
    readonly options: ProcessOptions,
    abort: LazyAbort,
  ) {
    const { execution } = options
    this.limits = options.limits ?? DEFAULT_LIMITS
    this.executionInfo = { id: execution.id, workflowKey: execution.workflowKey, sync: execution.sync, context: execution.context }
    this.#log = options.resume?.length ? new ReplayLog(options.resume) : undefined
    this.main = new Frame(this, { $context: execution.context, $jobsMapByNodeKey: this.jobsMap, $scopes: NO_SCOPES }, abort)
  }

  respond(response: ResponseDescription): void {
    if (this.response) return
    this.response = response
    this.options.onResponse?.(response)
  }

  chain(frame: Frame, nodes: readonly CompiledNode[], from = 0): Step {
    for (let i = from; i < nodes.length; i++) {
      const step = this.node(frame, nodes[i]!)
      if (step instanceof Promise) return step.then((stop) => stop ?? this.chain(frame, nodes, i + 1))
      if (step) return step
    }
    return undefined
  }

  node(frame: Frame, node: CompiledNode): Step {
    const saved = this.options.beforeNode?.()
    return saved ? saved.then(() => this.#node(frame, node)) : this.#node(frame, node)
  }

  #node(frame: Frame, node: CompiledNode): Step {
    if (frame.abort.aborted) return aborted(frame.abort)
    const earlier = this.#log?.next(node.key)
    if (earlier?.status === 'resolved') return this.#replay(frame, node, earlier)
    return this.#try(frame, node, Date.now(), earlier, 1)
  }

  #try(frame: Frame, node: CompiledNode, startedAt: number, earlier: JobRecord | undefined, attempt: number): Step {
    frame.enter(node, earlier)
    let value: unknown
    try {
      const config = node.config.render(frame.scope)
      if (node.validateRendered) {
        const checked = node.deferredRaw ? { ...(config as object), ...node.deferredRaw } : config
        if (!node.validateRendered(checked)) {
          const problem = explainErrors(node.validateRendered, node.validateRendered.errors ?? [])[0]
          throw new TypeError(`Rendered config of node "${node.key}" at ${problem?.path || '/'}: ${problem?.message ?? 'is invalid'}`)
        }
      }
      const args = new NodeArgs(config, node.info, this.executionInfo, this.jobsMap, frame.flow, frame.abort, earlier)
      value = node.nodeType.run(args as unknown as NodeRunArgs<unknown>)
    } catch (error) {
      return this.#caught(frame, node, startedAt, earlier, attempt, error)
    }
    if (isThenable(value)) {
      return untilAborted(value, frame.abort).then(
        (result) => this.#after(frame, node, startedAt, earlier, attempt, result),
        (error: unknown) => this.#caught(frame, node, startedAt, earlier, attempt, error),
      )
    }
    return this.#after(frame, node, startedAt, earlier, attempt, value)
  }

  // A node with `retry` runs again after its backoff; an abort ends the wait.
  #caught(frame: Frame, node: CompiledNode, startedAt: number, earlier: JobRecord | undefined, attempt: number, error: unknown): Step {
    const retry = node.retry
    if (retry && attempt < retry.attempts && !frame.abort.aborted && !frame.parked) {
      const delayMs = backoffDelay(retry, attempt)
      this.options.onRetry?.({ nodeKey: node.key, attempt, delayMs, error })
      return pause(delayMs, frame.abort).then(
        () => this.#try(frame, node, startedAt, earlier, attempt + 1),
        () => this.#failed(frame, node, startedAt, earlier, attempt, error),
      )
    }
    return this.#failed(frame, node, startedAt, earlier, attempt, error)
  }

  // A node that ran branches inline resolved after them: their jobs come back with it.
  #replay(frame: Frame, node: CompiledNode, job: JobRecord): Step {
    const inline = job.flow?.inline
    if (inline && this.#log) for (const inner of this.#log.drain(inline)) this.#take(frame, inner)
    this.#take(frame, job)
    return this.#continue(frame, node, job.flow?.branch, job.flow?.end)
  }

  #take(frame: Frame, job: JobRecord): void {
    if (frame.parent) frame.counted(job.nodeKey)
    this.jobs.push(job)
    this.jobsMap[job.nodeKey] = job.result
    if (job.flow?.assign !== undefined) this.jobsMap[job.flow.assign] = job.result
    if (job.type === 'response' && job.result) this.respond(job.result as ResponseDescription)
  }

  #after(frame: Frame, node: CompiledNode, startedAt: number, earlier: JobRecord | undefined, attempt: number, result: unknown): Step {
    // A branch it ran inline parked: no job yet; on wake the node runs again, its branches replaying.
    if (frame.parked) return frame.parked
    const { end, branch, wakeAt } = frame
    if (wakeAt !== undefined) {
      const stop = new Stop('parked', null, null, false, wakeAt)
      const saved = this.#record(frame, node, startedAt, 'waiting', result, null, earlier, attempt)
      return saved ? saved.then(() => stop) : stop
    }
    const saved = this.#record(frame, node, startedAt, end ?? 'resolved', result, null, earlier, attempt)
    if (saved) return saved.then(() => this.#continue(frame, node, branch, end))
    return this.#continue(frame, node, branch, end)
  }

  #continue(frame: Frame, node: CompiledNode, branch: string | undefined, end: FlowEnd | undefined): Step {
    if (end) return new Stop(end, null, null, true)
    return branch === undefined ? undefined : this.chain(frame, node.branches.get(branch) ?? NO_NODES)
  }

  // An error wins over a branch that parked meanwhile: its waiting job is resumed by a retry.
  #failed(frame: Frame, node: CompiledNode, startedAt: number, earlier: JobRecord | undefined, attempt: number, error: unknown): Step {
    const abort = frame.abort
    const stop = abort.aborted ? aborted(abort) : new Stop('error', null, errorInfo(error))
    const status = abort.aborted ? 'aborted' : 'error'
    const saved = this.#record(frame, node, startedAt, status, null, abort.aborted ? errorInfo(abort.reason) : stop.error, earlier, attempt)
    return saved ? saved.then(() => stop) : stop
  }

  reserve(earlier: JobRecord | undefined): number {
    return this.#index(earlier)
  }

  #index(earlier: JobRecord | undefined): number {
    if (earlier) return earlier.index
    const taken = this.#log?.taken
    while (taken?.has(this.#next)) this.#next++
    return this.#next++
  }

  #record(
    frame: Frame,
    node: CompiledNode,
    startedAt: number,
    status: JobStatus,
    result: unknown,
    error: ErrorInfo | null,
    earlier: JobRecord | undefined,
    attempt: number,
  ): Promise<void> | undefined {
    const job: JobRecord = {
      index: frame.reserved ?? this.#index(earlier),
      nodeKey: node.key,
      type: node.type,
      status,
      result,
      error,
      startedAt,
      finishedAt: Date.now(),
    }
    const { branch, end, counts, assign } = frame
    if (branch !== undefined || end !== undefined || counts || assign !== undefined) {
      job.flow = {}
      if (branch !== undefined) job.flow.branch = branch
      if (end !== undefined) job.flow.end = end
      if (assign !== undefined) job.flow.assign = assign
      if (counts) job.flow.inline = { ...counts }
    }
    // Tries before this attempt of the execution count too (a retried execution re-runs the node).
    const before = earlier && earlier.status !== 'waiting' ? (earlier.attempts ?? 1) : 0
    if (node.retry || before > 0 || attempt > 1) job.attempts = before + attempt
    if (frame.parent) frame.counted(node.key)
    this.jobs.push(job)
    this.jobsMap[node.key] = result
    if (assign !== undefined && status === 'resolved') this.jobsMap[assign] = result
    const saved = this.options.onJob?.(job)
    return saved instanceof Promise ? saved : undefined
  }
}

/**
 * Runs the execution to its end (or its park); never throws. The outcome comes back at once
 * when every node ran synchronously (a condition and a Response node, say): no promise, and no
 * microtask before the caller may answer. A run that waits for anything (a request, a retry's
 * backoff) gives a promise.
 */
export function processExecution(options: ProcessOptions): ProcessOutcome | Promise<ProcessOutcome> {
  const { workflow } = options
  const abort = options.abort ?? new LazyAbort()
  const cancelTimer = workflow.timeout > 0 ? longTimeout(() => abort.abort(new ExecutionAbort('timeout')), workflow.timeout) : undefined
  let run: Run | undefined
  const end = (stop: Stop | undefined): ProcessOutcome => {
    cancelTimer?.()
    return outcomeOf(run, stop ?? new Stop('resolved'))
  }
  let step: Step
  try {
    run = new Run(options, abort)
    step = run.chain(run.main, workflow.nodes)
  } catch (error) {
    return end(new Stop('error', null, errorInfo(error)))
  }
  if (!(step instanceof Promise)) return end(step)
  return step.then(end, (error: unknown) => end(new Stop('error', null, errorInfo(error))))
}

function outcomeOf(run: Run | undefined, stop: Stop): ProcessOutcome {
  const outcome: ProcessOutcome = { status: stop.status, reason: stop.reason, response: run?.response ?? null, error: stop.error, jobs: run?.jobs ?? [] }
  if (stop.status === 'parked') outcome.wakeAt = stop.wakeAt
  return outcome
}
