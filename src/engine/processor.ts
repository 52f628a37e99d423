/**
 * @module
 * Walks a compiled workflow for one execution: renders each node's config, runs it, records
 * one job per node run, follows branches (the flow rejoins the chain after a branch), and
 * stops at an end, an error or an abort. It knows no HTTP, store or queue: the engine
 * persists what it returns, and a Response node's answer leaves through `onResponse`.
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
import type { FlowEnd, NodeFlow, NodeRunArgs } from './node-type.js'
import { schemaProblems } from './node-registry.js'
import { LazyAbort } from './lazy-abort.js'

export interface ProcessOptions {
  workflow: CompiledWorkflow
  execution: ExecutionRecord
  /** Aborts the run from outside (sync timeout, client gone, cancel). */
  abort?: LazyAbort
  /** Called once, with the first Response node's answer. */
  onResponse?: (response: ResponseDescription) => void
  /** Called as each job is recorded; a returned promise (a durable save) is awaited before the next node. */
  onJob?: (job: JobRecord) => void | Promise<void>
  /** Jobs of an earlier attempt: resolved ones are taken as they are instead of running again. */
  resume?: readonly JobRecord[]
}

export interface ProcessOutcome {
  status: 'resolved' | 'failed' | 'error' | 'aborted'
  reason: AbortReason | null
  response: ResponseDescription | null
  error: ErrorInfo | null
  jobs: JobRecord[]
}

class Stop {
  constructor(
    readonly status: ProcessOutcome['status'],
    readonly reason: AbortReason | null = null,
    readonly error: ErrorInfo | null = null,
  ) {}
}

/** A chain step: finished (`undefined`), stopped, or later. */
type Step = Stop | undefined | Promise<Stop | undefined>

const NO_NODES: readonly CompiledNode[] = []

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
  ) {
    this.#abort = abort
  }

  get signal(): AbortSignal {
    return this.#abort.signal
  }
}

// Control flow is returned, never thrown: a rejected promise per stop costs more than the run.
class Run {
  readonly jobs: JobRecord[] = []
  readonly jobsMap: Record<string, unknown> = Object.create(null)
  readonly scopes: Record<string, unknown> = Object.create(null)
  readonly scope: Record<string, unknown>
  readonly executionInfo: NodeRunArgs<unknown>['execution']
  /** What node code steers the flow with; one per execution. */
  readonly flow: NodeFlow
  response: ResponseDescription | null = null
  // The current node's flow decisions (nodes of one execution run one at a time).
  #branch: string | undefined
  #end: FlowEnd | undefined
  #assign: string | undefined
  /** Still walking the jobs of an earlier attempt. */
  #replaying: boolean | undefined

  constructor(
    readonly options: ProcessOptions,
    readonly abort: LazyAbort,
  ) {
    const { execution } = options
    this.scope = { $context: execution.context, $jobsMapByNodeKey: this.jobsMap, $scopes: this.scopes }
    this.executionInfo = { id: execution.id, workflowKey: execution.workflowKey, sync: execution.sync, context: execution.context }
    this.flow = {
      branch: (name) => {
        this.#branch = name
      },
      end: (status) => {
        this.#end = status
      },
      respond: (response) => this.#respond(response),
      assign: (nodeKey) => {
        this.#assign = nodeKey
      },
    }
  }

  #respond(response: ResponseDescription): void {
    if (this.response) return
    this.response = response
    this.options.onResponse?.(response)
  }

  chain(nodes: readonly CompiledNode[], from = 0): Step {
    for (let i = from; i < nodes.length; i++) {
      const step = this.node(nodes[i]!)
      if (step instanceof Promise) return step.then((stop) => stop ?? this.chain(nodes, i + 1))
      if (step) return step
    }
    return undefined
  }

  node(node: CompiledNode): Step {
    const abort = this.abort
    if (abort.aborted) return new Stop('aborted', ExecutionAbort.reasonOf(abort.reason))
    const earlier = this.#replayable(node)
    if (earlier) return this.#replay(node, earlier)
    const startedAt = Date.now()
    this.#branch = undefined
    this.#end = undefined
    this.#assign = undefined
    let value: unknown
    try {
      const config = node.config.render(this.scope)
      if (node.validateRendered && !node.validateRendered(config)) {
        const problem = schemaProblems(node.validateRendered.errors)[0]
        throw new TypeError(`Rendered config of node "${node.key}" ${problem?.path || ''} ${problem?.message ?? 'is invalid'}`)
      }
      const args = new NodeArgs(config, node.info, this.executionInfo, this.jobsMap, this.flow, abort)
      value = node.nodeType.run(args as unknown as NodeRunArgs<unknown>)
    } catch (error) {
      return this.#failed(node, startedAt, error)
    }
    if (isThenable(value)) {
      return untilAborted(value, abort).then(
        (result) => this.#after(node, startedAt, result),
        (error: unknown) => this.#failed(node, startedAt, error),
      )
    }
    return this.#after(node, startedAt, value)
  }

  // A resumed run walks the same path: the next earlier job, if resolved and of this node.
  #replayable(node: CompiledNode): JobRecord | undefined {
    const resume = this.options.resume
    if (!resume || this.#replaying === false) return undefined
    const job = resume[this.jobs.length]
    if (job && job.nodeKey === node.key && job.status === 'resolved') return job
    this.#replaying = false
    return undefined
  }

  #replay(node: CompiledNode, job: JobRecord): Step {
    this.jobs.push(job)
    this.jobsMap[node.key] = job.result
    if (job.flow?.assign !== undefined) this.jobsMap[job.flow.assign] = job.result
    if (job.type === 'response' && job.result) this.#respond(job.result as ResponseDescription)
    return this.#continue(node, job.flow?.branch, job.flow?.end)
  }

  #after(node: CompiledNode, startedAt: number, result: unknown): Step {
    const end = this.#end
    const branch = this.#branch
    const saved = this.#record(node, startedAt, end ?? 'resolved', result, null, branch, end, this.#assign)
    if (saved) return saved.then(() => this.#continue(node, branch, end))
    return this.#continue(node, branch, end)
  }

  #continue(node: CompiledNode, branch: string | undefined, end: FlowEnd | undefined): Step {
    if (end) return new Stop(end)
    return branch === undefined ? undefined : this.chain(node.branches.get(branch) ?? NO_NODES)
  }

  #failed(node: CompiledNode, startedAt: number, error: unknown): Step {
    const abort = this.abort
    const stop = abort.aborted
      ? new Stop('aborted', ExecutionAbort.reasonOf(abort.reason))
      : new Stop('error', null, errorInfo(error))
    const saved = this.#record(node, startedAt, abort.aborted ? 'aborted' : 'error', null, abort.aborted ? errorInfo(abort.reason) : stop.error)
    return saved ? saved.then(() => stop) : stop
  }

  #record(
    node: CompiledNode,
    startedAt: number,
    status: JobStatus,
    result: unknown,
    error: ErrorInfo | null,
    branch?: string,
    end?: FlowEnd,
    assign?: string,
  ): Promise<void> | undefined {
    const job: JobRecord = {
      index: this.jobs.length,
      nodeKey: node.key,
      type: node.type,
      status,
      result,
      error,
      startedAt,
      finishedAt: Date.now(),
    }
    if (branch !== undefined || end !== undefined || assign !== undefined) {
      job.flow = {}
      if (branch !== undefined) job.flow.branch = branch
      if (end !== undefined) job.flow.end = end
      if (assign !== undefined) job.flow.assign = assign
    }
    this.jobs.push(job)
    this.jobsMap[node.key] = result
    if (assign !== undefined) this.jobsMap[assign] = result
    const saved = this.options.onJob?.(job)
    return saved instanceof Promise ? saved : undefined
  }
}

/** Runs the execution to its end; never throws. */
export async function processExecution(options: ProcessOptions): Promise<ProcessOutcome> {
  const { workflow } = options
  const abort = options.abort ?? new LazyAbort()
  const timer =
    workflow.timeout > 0 ? setTimeout(() => abort.abort(new ExecutionAbort('timeout')), workflow.timeout) : undefined

  const run = new Run(options, abort)
  let stop: Stop
  try {
    stop = (await run.chain(workflow.nodes)) ?? new Stop('resolved')
  } catch (error) {
    stop = new Stop('error', null, errorInfo(error))
  } finally {
    clearTimeout(timer)
  }
  return { status: stop.status, reason: stop.reason, response: run.response, error: stop.error, jobs: run.jobs }
}
