/**
 * @module
 * The engine: a registry of compiled workflows, and the life of their executions (store,
 * queue, run, events). It knows no HTTP, node type, store or queue implementation; see
 * `createEngine` for the defaults it is usually built with.
 *
 * ```ts
 * const engine = createEngine()
 * engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] })
 * const execution = await engine.trigger('hello', { body: { name: 'Ada' } })
 * await engine.idle()
 * console.log((await engine.getExecution(execution.id))?.status) // 'resolved'
 * ```
 */
import { EventEmitter } from 'eventemitter3'
import type { Store, NewExecution } from '../storage/store.js'
import type { OutageReporter, Queue } from '../queue/queue.js'
import type { NodeType } from './node-type.js'
import type { AnyNodeType, AnyWorkflowDefinition, RegisteredWorkflow, WorkflowDefinition } from './definition.js'
import type { EngineEvents } from './events.js'
import {
  EXECUTION_STATUSES,
  type ExecutionRecord,
  type ExecutionStatus,
  type ResponseDescription,
  type TriggerContext,
} from './execution.js'
import { ExecutionAbort } from './execution-abort.js'
import { type CompiledWorkflow, compileWorkflow, type DefinitionCheck } from './compile-workflow.js'
import { NodeRegistry } from './node-registry.js'
import { DEFAULT_LIMITS } from './processor.js'
import type { DefinitionProblem } from './workflow-definition-error.js'
import { StorageUnavailableError } from './storage-unavailable-error.js'
import { WorkflowNotFoundError } from './workflow-not-found-error.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { timeOrderedId } from './random-id.js'
import { ExecutionRunner, type RunnerHost } from './execution-runner.js'
import { LazyAbort } from './lazy-abort.js'
import { envAllowList } from './templates/env-allow-list.js'
import { LONGEST_TIMER } from './long-timeout.js'
import { EngineLog } from './logging/engine-log.js'
import type { Logger } from './logging/logger.js'
import { silentLogger } from './logging/logger.js'
import { EngineTelemetry, type TelemetryOptions } from './telemetry/engine-telemetry.js'
import { type RunResult, runWorkflow } from './run-workflow.js'
import { positiveInteger, within } from './within.js'

/**
 * What the `Engine` constructor takes; `createEngine` fills it in from friendlier options.
 *
 * @example
 * ```ts
 * import { Engine, builtInNodeTypes, createMemoryQueue, createMemoryStore } from 'hookflow'
 *
 * const engine = new Engine({ store: createMemoryStore(), queue: createMemoryQueue(), nodeTypes: builtInNodeTypes })
 * ```
 */
export interface EngineOptions {
  /** Where executions and jobs are kept. */
  store: Store
  /** What carries async executions to workers. */
  queue: Queue
  /** Every node type definitions may use, built-in ones included. */
  nodeTypes: Iterable<NodeType<any, unknown>>
  /**
   * How long a worker's claim on an execution holds; renewed every third of it while it runs.
   * Default 30 s: a worker on another host that dies is taken over after at most this long.
   */
  leaseMs?: number
  /** How often a worker looks for claims of dead processes on its host, and releases them. Default 5 s. */
  takeoverIntervalMs?: number
  /** The longest `start()` waits for the store and the queue before it resolves anyway. Default 10 s. */
  startTimeoutMs?: number
  /** The longest `close()` takes; runs still going then are stopped and their claims given back. Default 10 s. */
  closeTimeoutMs?: number
  /** A pruning sweep of finished executions by age and count (see `engine.prune()`). */
  retention?: RetentionOptions
  /** More `register` checks (`createEngine` adds the webhook trigger's trust settings). */
  checkDefinition?: DefinitionCheck
  /** Environment variables templates may read as `{{$env.NAME}}`; any other name fails `register`. */
  env?: readonly string[]
  /** Branch runs one loop (or parallel) node run may start; more fail its job. Default 10,000. */
  maxLoopIterations?: number
  /** Refuse sync workflows where a path ends without a Response node, instead of a `warning` event. */
  strictResponses?: boolean
  /**
   * Default true: this engine works the queue (runs async executions). false: a receiver only;
   * it stores and enqueues async executions for workers elsewhere and never starts the queue.
   */
  worker?: boolean
  /** Where hookflow's log lines go (pino's shape). Default: none (`createEngine` gives a console logger at `warn`). */
  logger?: Logger
  /** OpenTelemetry providers; default the global ones (no-ops until the application registers an SDK). */
  telemetry?: TelemetryOptions
}

/**
 * How long finished executions are kept: by age, by count, swept at an interval.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine({ retention: { maxAgeMs: 7 * 86_400_000, maxCount: 50_000 } })
 * ```
 */
export interface RetentionOptions {
  /** Finished executions older than this go. */
  maxAgeMs?: number
  /** At most this many finished executions are kept, the newest. */
  maxCount?: number
  /** How often the sweep runs. Default 1 minute. */
  intervalMs?: number
}

/**
 * Options of `engine.trigger` and `engine.run`: an event key for deduplication, and an abort signal.
 *
 * @example
 * ```ts
 * import { createEngine, type TriggerOptions } from 'hookflow'
 *
 * const options: TriggerOptions = { eventKey: 'evt_123', eventKeyTtlMs: 86_400_000 }
 * await createEngine().trigger('orders', { body: { id: 123 } }, options)
 * ```
 */
export interface TriggerOptions {
  /** At most one execution per event key (the store enforces it). */
  eventKey?: string
  /** The event key is held this long (ms); after that a new execution may take it over. Default: for good. */
  eventKeyTtlMs?: number
  /** Aborts a sync run (the webhook core passes the client's and its timeout's signal). */
  signal?: AbortSignal
}

/**
 * `dispatch`'s options: a trigger's, and what the engine itself marks a new execution with.
 *
 * @example
 * ```ts
 * import type { DispatchOptions } from 'hookflow'
 *
 * const replay: DispatchOptions = { replayOf: 'ex-1' }
 * ```
 */
export interface DispatchOptions extends TriggerOptions {
  /** The execution this one replays (`engine.replay`). */
  replayOf?: string
}

/**
 * How a sync run first settled: a Response node answered, or it finished without one.
 *
 * @example
 * ```ts
 * import type { SyncSettlement } from 'hookflow'
 *
 * function statusOf(settlement: SyncSettlement): number {
 *   return settlement.kind === 'response' ? settlement.response.statusCode : settlement.kind === 'unavailable' ? 503 : 204
 * }
 * ```
 */
export type SyncSettlement =
  | { kind: 'response'; response: ResponseDescription }
  | { kind: 'finished'; status: ExecutionStatus }
  /** The store failed under the run before it answered: 503; a worker resumes it later. */
  | { kind: 'unavailable'; error: Error }

/**
 * What `engine.dispatch` resolves with: the stored execution and, for a sync run, how and when it settles.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({ key: 'hello', sync: true, trigger: { type: 'webhook', id: 'hello' }, nodes: [] })
 * const dispatch = await engine.dispatch(engine.getWorkflow('hello')!, { headers: {}, query: {}, body: {}, params: {} })
 * const settlement = await dispatch.settled
 * ```
 */
export interface Dispatch {
  /** The execution as stored (or, for a duplicate event key, the first one). */
  execution: ExecutionRecord
  /** True when the event key was taken: `execution` is the first one, and nothing new runs. */
  duplicate: boolean
  /** Sync only: resolves once, at the first answer or the end. */
  settled?: Promise<SyncSettlement>
  /**
   * Sync only: the settlement, when the run settled before `dispatch` returned (its nodes up to
   * the answer all ran synchronously); `settled` then resolves with it too.
   */
  settlement?: SyncSettlement
  /** Sync only: the final record (stored; `jobs` included). */
  finished?: Promise<ExecutionRecord>
  /** Sync only: aborts the run (the reason is usually an `ExecutionAbort`). */
  abort?: (reason: unknown) => void
}

/**
 * What `engine.listExecutions` selects: a workflow, statuses, a start time, a page size and a cursor.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine()
 * const page = await engine.listExecutions({ workflowKey: 'orders', limit: 50 })
 * const next = await engine.listExecutions({ workflowKey: 'orders', limit: 50, cursor: page.at(-1)?.id })
 * ```
 */
export interface ListExecutionsOptions {
  /** Only this workflow's executions. */
  workflowKey?: string
  /** Only executions with this status (or one of these). */
  status?: ExecutionStatus | ExecutionStatus[]
  /** Only executions created at or after this time (epoch ms). */
  since?: number
  /** Default 100, at most 1000. */
  limit?: number
  /** The id of the last execution of the previous page: the next page starts after it. */
  cursor?: string
}

function normalizeContext(context: Partial<TriggerContext> | undefined): TriggerContext {
  return { headers: {}, query: {}, body: {}, params: {}, ...context }
}

/**
 * `Types` are the custom node types this engine was built with (`createEngine` infers them),
 * so `register` checks each node's `config` against its type; a bare `Engine` takes any node.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'greet', sync: true, trigger: { type: 'webhook', id: 'greet' },
 *   nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: 'hello {{$context.body.name}}' } }],
 * })
 * const { response } = await engine.run('greet', { body: { name: 'Ada' } })
 * engine.on('execution:finished', (execution) => console.log(execution.workflowKey, execution.status))
 * ```
 */
export class Engine<Types extends AnyNodeType = AnyNodeType> extends EventEmitter<EngineEvents> {
  /** Where executions and jobs are kept. */
  readonly store: Store
  /** What carries async executions to workers. */
  readonly queue: Queue
  readonly #registry: NodeRegistry
  readonly #workflows = new Map<string, CompiledWorkflow>()
  readonly #runner: ExecutionRunner
  readonly #retention: RetentionOptions | undefined
  readonly #checkDefinition: DefinitionCheck | undefined
  readonly #env: ReadonlySet<string>
  #sweep: ReturnType<typeof setInterval> | undefined
  /** Set by `start()`: the takeover sweep, and what keeps the process alive until `close()`. */
  #keepAlive: ReturnType<typeof setInterval> | undefined
  #claimSweep: Promise<void> | undefined
  #revision = 0
  #queueStarted: Promise<void> | true | undefined
  #closed = false
  readonly #takeoverIntervalMs: number
  readonly #startTimeoutMs: number
  readonly #closeTimeoutMs: number
  readonly #strictResponses: boolean
  readonly #worker: boolean
  /** hookflow's own log lines (the webhook core writes its delivery lines here too). */
  readonly log: EngineLog
  /** Spans and metrics (the webhook core's delivery spans use its tracer). */
  readonly telemetry: EngineTelemetry

  constructor(options: EngineOptions) {
    super()
    this.store = options.store
    this.queue = options.queue
    this.log = new EngineLog(options.logger ?? silentLogger)
    this.telemetry = new EngineTelemetry(options.telemetry ?? {})
    this.#registry = new NodeRegistry(options.nodeTypes)
    this.#env = envAllowList(options.env)
    const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 30_000)
    this.#takeoverIntervalMs = positiveInteger('takeoverIntervalMs', options.takeoverIntervalMs ?? 5_000)
    this.#startTimeoutMs = positiveInteger('startTimeoutMs', options.startTimeoutMs ?? 10_000)
    this.#closeTimeoutMs = positiveInteger('closeTimeoutMs', options.closeTimeoutMs ?? 10_000)
    const maxLoopIterations = options.maxLoopIterations ?? DEFAULT_LIMITS.maxLoopIterations
    if (!(Number.isInteger(maxLoopIterations) && maxLoopIterations > 0)) throw new TypeError('maxLoopIterations must be a positive integer')
    this.#strictResponses = options.strictResponses ?? false
    this.#runner = new ExecutionRunner(this.store, leaseMs, {
      queue: this.queue,
      limits: { maxLoopIterations },
      // Typed at the runner's side; eventemitter3's own types cannot follow a generic key.
      emit: this.emit.bind(this) as RunnerHost['emit'],
      workflow: (key) => this.#workflows.get(key),
      log: this.log,
      telemetry: this.telemetry,
    })
    this.#retention = options.retention
    this.#checkDefinition = options.checkDefinition
    this.#worker = options.worker ?? true
    // The store's and the queue's own failures (a lost idle connection, Redis gone) are `error`
    // events (each store or queue tells once per outage) and, with their recoveries, one log
    // line per outage.
    const reporter = (source: 'store' | 'queue'): OutageReporter => ({
      failed: (error) => void this.emit('error', new StorageUnavailableError(error.message, error.cause, source)),
      recovered: () => this.log.available(source),
    })
    const outages = { store: reporter('store'), queue: reporter('queue') }
    this.store.reportOutages?.(outages)
    this.queue.reportOutages?.(outages)
    if (options.retention) {
      const { maxAgeMs, maxCount, intervalMs = 60_000 } = options.retention
      if (maxAgeMs === undefined && maxCount === undefined) throw new TypeError('retention needs maxAgeMs or maxCount')
      this.#sweep = setInterval(() => {
        this.prune().catch((error: unknown) => this.emit('error', error as Error))
      }, Math.min(intervalMs, LONGEST_TIMER))
      this.#sweep.unref?.()
    }
  }

  /** Grows with every register / unregister, so routers know when to rebuild. */
  get revision(): number {
    return this.#revision
  }

  /**
   * Validates, compiles and adds (or replaces, by key) a workflow. Returns the normalized
   * definition, with the trigger id filled in when it was absent, and (not enumerable) the
   * webhook's `path` under the trigger's `basePath`.
   */
  register(definition: WorkflowDefinition<Types>): RegisteredWorkflow<Types> {
    const compiled = compileWorkflow(
      definition,
      this.#registry,
      (normalized) => [...this.#triggerClashes(normalized), ...(this.#checkDefinition?.(normalized) ?? [])],
      { env: this.#env, strictResponses: this.#strictResponses },
    )
    this.#workflows.set(compiled.key, compiled)
    this.#revision++
    const { id, path } = compiled.definition.trigger
    const routePath = path ?? `/${encodeURIComponent(id!)}`
    this.log.registered({ workflowKey: compiled.key, mode: compiled.sync ? 'sync' : 'async', path: routePath })
    this.emit('workflow:registered', compiled.definition)
    for (const warning of compiled.warnings) this.emit('warning', warning)
    const registered = Object.defineProperty(structuredClone(compiled.definition), 'path', { value: routePath })
    return registered as RegisteredWorkflow<Types>
  }

  /** Removes a workflow by key (its webhook answers 404 from then on); false when there was none. */
  unregister(key: string): boolean {
    const removed = this.#workflows.delete(key)
    if (removed) {
      this.#revision++
      this.emit('workflow:unregistered', key)
    }
    return removed
  }

  /** The compiled workflow (used by the webhook core). */
  getWorkflow(key: string): CompiledWorkflow | undefined {
    return this.#workflows.get(key)
  }

  /** Every registered workflow, compiled. */
  workflows(): IterableIterator<CompiledWorkflow> {
    return this.#workflows.values()
  }

  /** Starts a workflow by key, as a webhook would; resolves once the execution is stored. */
  async trigger(key: string, context?: Partial<TriggerContext>, options: TriggerOptions = {}): Promise<ExecutionRecord> {
    const workflow = this.#workflows.get(key)
    if (!workflow || !workflow.enabled) throw new WorkflowNotFoundError(`No enabled workflow "${key}"`)
    const normalized = normalizeContext(context)
    this.telemetry.stampActive(normalized)
    const dispatch = await this.dispatch(workflow, normalized, options)
    return dispatch.execution
  }

  /**
   * Runs a workflow in process, as a webhook would, and resolves once the run is finished: the
   * execution with its jobs and, for a sync workflow, the Response node's answer. A failing run
   * resolves too (status `failed`, `error` or `aborted`); see `run-workflow.ts`.
   */
  run(key: string, context?: Partial<TriggerContext>, options: TriggerOptions = {}): Promise<RunResult> {
    return runWorkflow(this, key, normalizeContext(context), options)
  }

  /** Stores an execution and starts it: queued (async) or run inline (sync). */
  async dispatch(workflow: CompiledWorkflow, context: TriggerContext, options: DispatchOptions = {}): Promise<Dispatch> {
    if (this.#closed) throw new HookflowError('engine_closed', 'The engine is closed', { status: 503, headers: { 'retry-after': '5' } })
    const now = Date.now()
    const record: NewExecution = {
      id: timeOrderedId(now),
      workflowKey: workflow.key,
      eventKey: options.eventKey ?? null,
      sync: workflow.sync,
      status: workflow.sync ? 'started' : 'queued',
      reason: null,
      context,
      response: null,
      error: null,
      createdAt: now,
      startedAt: workflow.sync ? now : null,
      finishedAt: null,
      attempts: workflow.sync ? 1 : 0,
    }
    // Set after the literal, not spread into it: the literal keeps one shape on the hot path.
    if (options.eventKey !== undefined && options.eventKeyTtlMs !== undefined) record.eventKeyExpiresAt = now + options.eventKeyTtlMs
    if (options.replayOf !== undefined) record.replayOf = options.replayOf
    // Past the workflow's maxQueued: 503 before anything is stored.
    const reserved = this.#runner.slots.reserve(workflow)
    const reservation = reserved instanceof Promise ? await reserved : reserved
    let execution: ExecutionRecord
    try {
      const claim = workflow.sync ? { owner: this.#runner.workerId, leaseMs: this.#runner.leaseMs, now } : undefined
      const result = await this.store.executions.create(record, claim)
      if (this.log.failing('store')) this.log.available('store')
      if (!result.created) {
        reservation.cancel()
        return { execution: result.execution, duplicate: true }
      }
      execution = result.execution
    } catch (error) {
      reservation.cancel()
      // A sync run stored with its claim and only the answer lost: given back for a worker to
      // run, rather than held until the lease ends. (Nothing happens when it was not stored.)
      if (workflow.sync) void this.#runner.claims.release(record.id)
      throw new StorageUnavailableError('The execution could not be stored', error)
    }
    reservation.bind(execution.id)
    this.emit('execution:created', execution)
    if (!workflow.sync) {
      try {
        await this.#enqueue(execution)
      } catch (error) {
        reservation.cancel()
        throw error
      }
      this.telemetry.queued(workflow.key)
      return { execution, duplicate: false }
    }
    this.emit('execution:started', execution)
    const abort = new LazyAbort()
    const signal = options.signal
    if (signal) {
      if (signal.aborted) abort.abort(signal.reason)
      else signal.addEventListener('abort', () => abort.abort(signal.reason), { once: true })
    }
    const { settled, finished, settlement } = this.#runner.runSync(workflow, execution, abort)
    const dispatch: Dispatch = { execution, duplicate: false, abort: (reason) => abort.abort(reason), settled, finished }
    if (settlement) dispatch.settlement = settlement
    return dispatch
  }

  /** An execution with its jobs, or undefined when the store has none with that id. */
  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    const execution = await this.store.executions.get(id)
    if (!execution) return undefined
    execution.jobs = await this.store.jobs.list(id)
    return execution
  }

  /** Newest first. */
  async listExecutions(options: ListExecutionsOptions = {}): Promise<ExecutionRecord[]> {
    const limit = options.limit ?? 100
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`limit must be a positive integer, got ${String(limit)}`)
    for (const status of [options.status ?? []].flat()) {
      if (!EXECUTION_STATUSES.includes(status)) throw new TypeError(`Unknown execution status "${String(status)}"`)
    }
    if (options.since !== undefined && !Number.isFinite(options.since)) throw new TypeError('since must be a time in epoch milliseconds')
    let before: { createdAt: number; id: string } | undefined
    if (options.cursor !== undefined) {
      const last = await this.store.executions.get(options.cursor)
      if (!last) throw new TypeError(`cursor "${options.cursor}" names no stored execution`)
      before = { createdAt: last.createdAt, id: last.id }
    }
    const { cursor: _cursor, ...query } = options
    return this.store.executions.list({ ...query, limit: Math.min(limit, 1000), ...(before ? { before } : {}) })
  }

  /**
   * Runs a failed, errored or aborted execution again, in the background: resolved jobs are
   * kept, and the run continues from the node that did not resolve.
   */
  async retry(id: string): Promise<ExecutionRecord> {
    const execution = await this.store.executions.get(id)
    if (!execution) throw new HookflowError('execution_not_found', `No execution "${id}"`, { status: 404 })
    if (!['failed', 'error', 'aborted'].includes(execution.status)) {
      throw new HookflowError('not_retryable', `Execution "${id}" is ${execution.status}; only failed, error or aborted ones can be retried`, { status: 409 })
    }
    if (!this.#workflows.has(execution.workflowKey)) {
      throw new WorkflowNotFoundError(`Workflow "${execution.workflowKey}" is not registered`)
    }
    await this.store.executions.update(id, { status: 'queued', reason: null, error: null, finishedAt: null })
    this.#startQueue()
    await this.queue.enqueue(id)
    this.telemetry.queued(execution.workflowKey)
    return { ...execution, status: 'queued', reason: null, error: null, finishedAt: null }
  }

  /**
   * Starts a new execution of the same workflow from a stored execution's context (any status),
   * marked with `replayOf`; the first one is left as it is. Resolves once the new one is stored.
   */
  async replay(id: string): Promise<ExecutionRecord> {
    const first = await this.store.executions.get(id)
    if (!first) throw new HookflowError('execution_not_found', `No execution "${id}"`, { status: 404 })
    const workflow = this.#workflows.get(first.workflowKey)
    if (!workflow || !workflow.enabled) {
      throw new WorkflowNotFoundError(`Execution "${id}" cannot be replayed: no enabled workflow "${first.workflowKey}" is registered`)
    }
    return (await this.dispatch(workflow, first.context, { replayOf: id })).execution
  }

  /**
   * Cancels a queued, parked or running execution, wherever it runs: it ends `aborted` with
   * reason `canceled`. Resolves true once that is stored; false when it was final (or absent).
   * A run in this process stops at once and stores its end with its jobs; one in another
   * process stops at its next job or heartbeat, storing nothing more.
   */
  async cancel(id: string): Promise<boolean> {
    const running = this.#runner.abortRunning(id, new ExecutionAbort('canceled'))
    if (running) {
      await running
      // Its run stored the end (aborted), unless it stopped without one (the store failed under
      // it, the engine closing): then the cancel is stored below.
      const now = await this.store.executions.get(id)
      if (!now || now.status === 'aborted') return true
      if (now.status !== 'queued' && now.status !== 'started') return false
    }
    return this.#runner.storeCancel(id)
  }

  /** Deletes finished executions past the engine's `retention` (or the limits given); returns how many. */
  async prune(limits: Omit<RetentionOptions, 'intervalMs'> | undefined = this.#retention): Promise<number> {
    if (!limits) return 0
    const createdBefore = limits.maxAgeMs === undefined ? undefined : Date.now() - limits.maxAgeMs
    return this.store.executions.prune({ createdBefore, keep: limits.maxCount })
  }

  /** Resolves when no queued or running execution of this engine is left. */
  async idle(): Promise<void> {
    do {
      await Promise.allSettled(this.#runner.inline)
      await this.queue.idle()
    } while (this.#runner.inline.size > 0)
  }

  /**
   * Stops accepting executions, waits for running ones, then closes queue and store; never
   * longer than `closeTimeoutMs` (default 10 s), whatever the database or Redis does. On the
   * memory store it first runs everything queued (nothing else would); on a durable store it
   * stops taking work at once, and what is still queued stays for the next `start()` or
   * another worker (call `idle()` first to drain it here). Runs still going when the time is
   * nearly up are stopped (their nodes' signal fires) and their claims given back, so another
   * worker resumes them at once after their last saved job.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.emit('engine:close')
    clearInterval(this.#sweep)
    clearInterval(this.#keepAlive)
    this.#keepAlive = undefined
    const deadline = Date.now() + this.#closeTimeoutMs
    // A quarter of the time (at most 2 s) is kept to give claims back and close the connections.
    const runsUntil = deadline - Math.min(this.#closeTimeoutMs / 4, 2000)
    const runs = (async () => {
      // A receiver waits for its own inline runs, not for workers elsewhere to drain the queue;
      // a busy worker on a shared queue would never see it drained.
      if (this.#worker && !this.store.durable) await this.idle()
      const closing = this.queue.close()
      while (this.#runner.inline.size > 0) await Promise.allSettled(this.#runner.inline)
      await closing
    })()
    const inTime = await within(runs, runsUntil - Date.now())
    // Runs still going, and releases the store could not take before: given back now.
    await within(this.#runner.claims.abandonAll(), (deadline - Date.now()) / 2)
    await within(this.#claimSweep, deadline - Date.now())
    if (!inTime) await within(runs, deadline - Date.now())
    const closed = await within(Promise.resolve(this.store.close?.()), deadline - Date.now())
    this.log.lifecycle('closed', { worker: this.#worker, inTime: inTime && closed })
    this.removeAllListeners()
  }

  /**
   * Starts the queue (a durable one then also picks up what a previous process left) and
   * releases the claims of dead processes on this host; a receiver-only engine
   * (`worker: false`) starts no queue. Resolves once the store and the queue answered, or
   * after `startTimeoutMs` (default 10 s) with the outage logged: the worker then goes on
   * trying by itself and runs the work once they answer. From here until `close()` the
   * engine keeps its process alive.
   */
  async start(): Promise<void> {
    if (this.#closed) throw new HookflowError('engine_closed', 'The engine is closed', { status: 503 })
    if (!this.#keepAlive) {
      // Ref'd on purpose: a worker waiting for its database must not exit by itself.
      this.#keepAlive = setInterval(() => void this.#sweepClaims(), Math.min(this.#takeoverIntervalMs, LONGEST_TIMER))
    }
    if (this.#worker) {
      const started = Promise.all([this.#startQueue(), this.#sweepClaims()])
      if (await within(started, this.#startTimeoutMs)) {
        // A queue that refused to start (its options, a closed queue) rejects start(), and the
        // engine holds the process no longer.
        await started.catch((error: unknown) => {
          clearInterval(this.#keepAlive)
          this.#keepAlive = undefined
          throw error
        })
      } else {
        started.catch(() => undefined)
        this.log.unavailable(new StorageUnavailableError(`The queue did not start within ${this.#startTimeoutMs} ms; the worker goes on trying`, undefined, 'queue'))
      }
    }
    this.log.lifecycle('started', { worker: this.#worker, durable: this.store.durable === true })
  }

  /**
   * As EventEmitter's, and an `error` nobody listens to is logged instead of lost (store and
   * queue failures are logged either way).
   */
  override emit<T extends keyof EngineEvents>(event: T, ...args: EngineEvents[T]): boolean {
    const heard = (EventEmitter.prototype.emit as (this: unknown, event: string, ...args: unknown[]) => boolean).call(this, event, ...args)
    if (event === 'error') this.log.engineError(args[0] as Error, heard)
    return heard
  }

  /**
   * Starts the queue once (a worker only); the promise of a start still going on. Enqueues
   * never wait for it: a queue accepts ids as soon as `start` was called.
   */
  #startQueue(): Promise<void> | undefined {
    if (!this.#worker || this.#queueStarted === true) return undefined
    if (this.#queueStarted === undefined) {
      const runner = this.#runner
      const started = this.queue.start((id, delivery) => runner.work(id, delivery), { owner: runner.workerId, leaseMs: runner.leaseMs })
      if (!(started instanceof Promise)) return void (this.#queueStarted = true)
      this.#queueStarted = started.then(() => void (this.#queueStarted = true))
      // A start that fails later is the caller's of start(); nobody else awaits it.
      this.#queueStarted.catch(() => undefined)
    }
    return this.#queueStarted
  }

  /** Takeover of dead processes' claims on this host, one sweep at a time. */
  #sweepClaims(): Promise<void> {
    if (!this.#worker || this.#closed) return Promise.resolve()
    this.#claimSweep ??= this.#runner.sweep().finally(() => (this.#claimSweep = undefined))
    return this.#claimSweep
  }

  async #enqueue(execution: ExecutionRecord): Promise<void> {
    try {
      if (this.#queueStarted !== true) this.#startQueue()
      await this.queue.enqueue(execution.id)
      if (this.log.failing('queue')) this.log.available('queue')
    } catch (error) {
      // Not accepted means not created: the sender gets 503 and retries.
      await this.store.executions.delete(execution.id).catch(() => undefined)
      throw new StorageUnavailableError('The execution could not be queued', error, 'queue')
    }
  }

  #triggerClashes(definition: AnyWorkflowDefinition): DefinitionProblem[] {
    const trigger = (definition.trigger ?? {}) as Partial<AnyWorkflowDefinition['trigger']>
    for (const other of this.#workflows.values()) {
      if (other.key === definition.key) continue
      const theirs = other.definition.trigger
      if (trigger.path === undefined && theirs.path === undefined && theirs.id === trigger.id) {
        return [{ path: '/trigger/id', message: `trigger id "${trigger.id}" is already used by workflow "${other.key}"` }]
      }
      if (trigger.path !== undefined && theirs.path === trigger.path) {
        return [{ path: '/trigger/path', message: `trigger path "${trigger.path}" is already used by workflow "${other.key}"` }]
      }
    }
    return []
  }
}
