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
import type { FlowEnd } from './node-type.js'
import { schemaProblems } from './node-registry.js'
import { LazyAbort } from './lazy-abort.js'

export interface ProcessOptions {
  workflow: CompiledWorkflow
  execution: ExecutionRecord
  /** Aborts the run from outside (sync timeout, client gone, cancel). */
  abort?: LazyAbort
  /** Called once, with the first Response node's answer. */
  onResponse?: (response: ResponseDescription) => void
  onJob?: (job: JobRecord) => void
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

class Run {
  readonly jobs: JobRecord[] = []
  readonly jobsMap: Record<string, unknown> = Object.create(null)
  readonly scopes: Record<string, unknown> = Object.create(null)
  readonly scope: Record<string, unknown>
  response: ResponseDescription | null = null

  constructor(
    readonly options: ProcessOptions,
    readonly abort: LazyAbort,
  ) {
    this.scope = {
      $context: options.execution.context,
      $jobsMapByNodeKey: this.jobsMap,
      $scopes: this.scopes,
    }
  }

  async chain(nodes: readonly CompiledNode[]): Promise<void> {
    for (const node of nodes) await this.node(node)
  }

  async node(node: CompiledNode): Promise<void> {
    const abort = this.abort
    if (abort.aborted) throw new Stop('aborted', ExecutionAbort.reasonOf(abort.reason))
    const startedAt = Date.now()
    let branch: string | undefined
    let end: FlowEnd | undefined
    const record = (status: JobStatus, result: unknown, error: ErrorInfo | null): void => {
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
      this.jobs.push(job)
      this.jobsMap[node.key] = result
      this.options.onJob?.(job)
    }

    let result: unknown
    try {
      const config = node.config.render(this.scope)
      if (node.validateRendered && !node.validateRendered(config)) {
        const problem = schemaProblems(node.validateRendered.errors)[0]
        throw new TypeError(`Rendered config of node "${node.key}" ${problem?.path || ''} ${problem?.message ?? 'is invalid'}`)
      }
      const { execution } = this.options
      const value = node.nodeType.run({
        config,
        get signal() {
          return abort.signal
        },
        node: { key: node.key, type: node.type, title: node.title, branches: node.branchNames },
        execution: { id: execution.id, workflowKey: execution.workflowKey, sync: execution.sync, context: execution.context },
        jobs: this.jobsMap,
        flow: {
          branch: (name) => {
            branch = name
          },
          respond: (response) => this.respond(response),
          end: (status) => {
            end = status
          },
        },
      })
      result = isThenable(value) ? await untilAborted(value, abort) : value
    } catch (error) {
      if (abort.aborted) {
        record('aborted', null, errorInfo(abort.reason))
        throw new Stop('aborted', ExecutionAbort.reasonOf(abort.reason))
      }
      const info = errorInfo(error)
      record('error', null, info)
      throw new Stop('error', null, info)
    }

    record(end ?? 'resolved', result, null)
    if (end) throw new Stop(end)
    if (branch !== undefined) await this.chain(node.branches.get(branch) ?? [])
  }

  respond(response: ResponseDescription): void {
    if (this.response) return
    this.response = response
    this.options.onResponse?.(response)
  }
}

/** Runs the execution to its end; never throws. */
export async function processExecution(options: ProcessOptions): Promise<ProcessOutcome> {
  const { workflow } = options
  const abort = options.abort ?? new LazyAbort()
  const timer =
    workflow.timeout > 0 ? setTimeout(() => abort.abort(new ExecutionAbort('timeout')), workflow.timeout) : undefined

  const run = new Run(options, abort)
  let stop = new Stop('resolved')
  try {
    await run.chain(workflow.nodes)
  } catch (error) {
    stop = error instanceof Stop ? error : new Stop('error', null, errorInfo(error))
  } finally {
    clearTimeout(timer)
  }
  return { status: stop.status, reason: stop.reason, response: run.response, error: stop.error, jobs: run.jobs }
}
