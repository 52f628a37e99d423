/**
 * @module
 * A frame: one chain of nodes walked one node at a time (the main chain, or one inline run of
 * a loop's or parallel's branch). It holds what templates read (`$scopes` differs per loop
 * pass), the abort of that run, and the flow decisions of the node running in it. Parallel
 * branches run in frames of their own, so their nodes never share that state.
 */
import type { CompiledNode } from './compile-workflow.js'
import type { JobRecord } from './execution.js'
import { LazyAbort } from './lazy-abort.js'
import type { BranchOutcome, BranchRunOptions, FlowEnd, NodeFlow, RunLimits, TemplatePart } from './node-type.js'
import type { CompiledTemplate } from './templates/compile-template.js'
import type { ResponseDescription } from './execution.js'
import type { Step, Stop } from './stop.js'

/** What a frame needs from the run it belongs to. */
export interface FrameHost {
  readonly limits: Readonly<RunLimits>
  /** The index the current node's job will take, reserved when it starts running branches inline. */
  reserve(previous: JobRecord | undefined): number
  chain(frame: Frame, nodes: readonly CompiledNode[]): Step
  respond(response: ResponseDescription): void
}

export interface FrameScope {
  [root: string]: unknown
  $context: unknown
  $jobsMapByNodeKey: Record<string, unknown>
  $scopes: Record<string, unknown>
}

/**
 * The error a node's job fails with when its branches ran more times than the engine's `maxLoopIterations`.
 *
 * @example
 * ```ts
 * import { createEngine, IterationLimitError } from 'hookflow'
 *
 * const engine = createEngine({ maxLoopIterations: 100 })
 * engine.on('job:finished', (job) => {
 *   if (job.error?.code === 'iteration_limit') console.warn(job.nodeKey, 'looped too often', IterationLimitError.name)
 * })
 * ```
 */
export class IterationLimitError extends Error {
  /** Always `iteration_limit`, as the failed job records it. */
  readonly code = 'iteration_limit'
  constructor(nodeKey: string, limit: number) {
    super(`Node "${nodeKey}" ran its branches more than ${limit} times (the engine's maxLoopIterations)`)
    this.name = 'IterationLimitError'
  }
}

export class Frame {
  node: CompiledNode | undefined
  previous: JobRecord | undefined
  branch: string | undefined
  end: FlowEnd | undefined
  /** The current node assigns its result to this earlier node's key (a `variable` node). */
  assign: string | undefined
  wakeAt: number | undefined
  /** A branch the current node ran inline parked: the node's job waits for the wake. */
  parked: Stop | undefined
  branchRuns = 0
  /** The current node ran branches inline: its job's index, taken before theirs. */
  reserved: number | undefined
  /** Jobs recorded inside the current node's inline branches, by node key (kept on its job for replay). */
  counts: Record<string, number> | undefined
  readonly flow: NodeFlow

  constructor(
    readonly host: FrameHost,
    readonly scope: FrameScope,
    readonly abort: LazyAbort,
    /** The frame whose current node runs this one (undefined for the main chain). */
    readonly parent?: Frame,
  ) {
    this.flow = {
      branch: (name) => {
        this.branch = name
      },
      end: (status) => {
        this.end = status
      },
      respond: (response) => host.respond(response),
      assign: (nodeKey) => {
        this.assign = nodeKey
      },
      run: (name, options) => this.#runBranch(name, options),
      render: (key, scope) => this.#render(key, scope),
      renderParts: (key, scope) => this.#renderParts(key, scope),
      wait: (wakeAt) => {
        this.wakeAt = wakeAt
      },
      limits: host.limits,
    }
  }

  /** Before each node run (or try of one). */
  enter(node: CompiledNode, previous: JobRecord | undefined): void {
    this.node = node
    this.previous = previous
    this.branch = undefined
    this.end = undefined
    this.assign = undefined
    this.wakeAt = undefined
    this.parked = undefined
    this.branchRuns = 0
    this.reserved = undefined
    this.counts = undefined
  }

  /** Counts a job recorded in this frame for every node running it inline, up the frames. */
  counted(nodeKey: string): void {
    for (let frame = this.parent; frame; frame = frame.parent) {
      const counts = (frame.counts ??= Object.create(null) as Record<string, number>)
      counts[nodeKey] = (counts[nodeKey] ?? 0) + 1
    }
  }

  #scopes(node: CompiledNode, scope: unknown): Record<string, unknown> {
    if (scope === undefined) return this.scope.$scopes
    const scopes: Record<string, unknown> = Object.create(null)
    Object.assign(scopes, this.scope.$scopes)
    scopes[node.key] = scope
    return scopes
  }

  #render(key: string, scope: unknown): unknown {
    const template = this.#deferred(key)
    return template?.render({ ...this.scope, $scopes: this.#scopes(this.node!, scope) })
  }

  #renderParts(key: string, scope: unknown): TemplatePart[] {
    const template = this.#deferred(key)
    return template?.renderParts?.({ ...this.scope, $scopes: this.#scopes(this.node!, scope) }) ?? []
  }

  // Undefined for a declared key the config leaves out.
  #deferred(key: string): CompiledTemplate | undefined {
    const node = this.node!
    const template = node.deferred?.get(key)
    if (!template && !node.nodeType.deferredConfig?.includes(key)) {
      throw new TypeError(`Node type "${node.type}" declares no deferred config key "${key}"`)
    }
    return template
  }

  async #runBranch(name: string, options: BranchRunOptions = {}): Promise<BranchOutcome> {
    const node = this.node!
    if (!node.branches.has(name) && !(node.nodeType.branches ?? []).includes(name)) {
      throw new TypeError(`Node type "${node.type}" has no branch "${name}"`)
    }
    if (++this.branchRuns > this.host.limits.maxLoopIterations) {
      throw new IterationLimitError(node.key, this.host.limits.maxLoopIterations)
    }
    this.reserved ??= this.host.reserve(this.previous)
    const abort = new LazyAbort()
    const unlink = this.abort.onAbort((reason) => abort.abort(reason))
    const signal = options.signal
    const onSignal = (): void => abort.abort(signal!.reason)
    if (signal?.aborted) onSignal()
    else signal?.addEventListener('abort', onSignal, { once: true })
    const child = new Frame(this.host, { ...this.scope, $scopes: this.#scopes(node, options.scope) }, abort, this)
    let stop: Stop | undefined
    try {
      stop = await this.host.chain(child, node.branches.get(name) ?? [])
    } finally {
      unlink()
      signal?.removeEventListener('abort', onSignal)
    }
    if (!stop) return { status: 'resolved', ended: false, error: null }
    if (stop.status === 'parked') this.parked ??= stop
    return { status: stop.status, ended: stop.ended, error: stop.error }
  }
}
