/**
 * @module
 * `createEngine`: an engine wired with the built-in node types (condition, response, end,
 * loop, parallel, delay, request, multi-conditions, calculation, variable, json-query, and
 * code over `functions`),
 * the memory store and the in-process queue, unless told otherwise.
 *
 * ```ts
 * import { createEngine, defineNode } from 'hookflow'
 * const score = defineNode({ type: 'acme.score', run: async () => ({ score: 7 }) })
 * const engine = createEngine({ nodeTypes: [score], concurrency: 4 })
 * ```
 */
import { Engine, type RetentionOptions } from './engine/engine.js'
import type { NodeType } from './engine/node-type.js'
import type { AnyNodeType } from './engine/node-definitions.js'
import type { Store } from './storage/store.js'
import type { Queue } from './queue/queue.js'
import { createMemoryStore } from './storage/memory-store.js'
import { createMemoryQueue } from './queue/memory-queue.js'
import { conditionNode } from './nodes/condition.js'
import { responseNode } from './nodes/response.js'
import { endNode } from './nodes/end.js'
import type { Authenticator } from './core/auth/authenticator.js'
import { triggerSecurityCheck } from './core/trigger-security.js'
import { loopNode } from './nodes/loop.js'
import { parallelNode } from './nodes/parallel.js'
import { delayNode } from './nodes/delay.js'
import { createRequestNode, requestNode, type RequestNodeOptions } from './nodes/request.js'
import { multiConditionsNode } from './nodes/multi-conditions.js'
import { calculationNode, createCalculationNode } from './nodes/calculation.js'
import type { ExpressionBudget } from './nodes/expression/budget.js'
import { variableNode } from './nodes/variable.js'
import { jsonQueryNode } from './nodes/json-query.js'
import { type CodeFunction, createCodeNode } from './nodes/code.js'
import type { Logger } from './engine/logging/logger.js'
import { silentLogger } from './engine/logging/logger.js'
import { createConsoleLogger } from './engine/logging/console-logger.js'
import type { TelemetryOptions } from './engine/telemetry/engine-telemetry.js'

/**
 * What `createEngine` takes: store, queue, custom node types, limits, logging and telemetry, all optional.
 *
 * @example
 * ```ts
 * import { createEngine, createMemoryStore } from 'hookflow'
 *
 * const engine = createEngine({
 *   store: createMemoryStore(),
 *   concurrency: 4,
 *   env: ['CRM_TOKEN'],
 *   requestNode: { denyPrivateNetworks: true },
 *   logger: false,
 * })
 * ```
 */
export interface CreateEngineOptions<Types extends readonly AnyNodeType[] = readonly AnyNodeType[]> {
  /** Default: `createMemoryStore()` (lost on exit; keeps the last 10,000 finished). */
  store?: Store
  /** Default: the store's own durable queue if it has one, else `createMemoryQueue({ concurrency })`. */
  queue?: Queue
  /** Extra node types; the built-ins are always there. Their names and configs type `register`'s definitions. */
  nodeTypes?: Types
  /** Async executions run at once by the default queue. Default 8. */
  concurrency?: number
  /**
   * How long a worker's claim on an execution holds, in ms; renewed every third of it while it
   * runs. Default 30 s: the longest a dead worker on another host keeps its executions (on
   * its own host, a dead process's claims are released within `takeoverIntervalMs`).
   */
  leaseMs?: number
  /** How often a worker releases the claims of dead processes on its host. Default 5 s. */
  takeoverIntervalMs?: number
  /** The longest `engine.start()` waits for the store and queue before resolving anyway. Default 10 s. */
  startTimeoutMs?: number
  /** The longest `engine.close()` takes, whatever the database or Redis does. Default 10 s. */
  closeTimeoutMs?: number
  /** A pruning sweep of finished executions: `{ maxAgeMs, maxCount, intervalMs }`. */
  retention?: RetentionOptions
  /** Credential checks of your own, named by `trigger.authenticate` in definitions. */
  authenticators?: Record<string, Authenticator>
  /** Environment variables templates may read as `{{$env.NAME}}` (at run time); any other `$env` name fails `register`. */
  env?: readonly string[]
  /** Passes one loop node run may make (and branch runs of any node); more fail the job. Default 10,000. */
  maxLoopIterations?: number
  /** Refuse sync workflows where some path ends without a Response node (default: a `warning` event). */
  strictResponses?: boolean
  /** Functions `code` nodes call by name: `{ function: 'scoreLead' }`. */
  functions?: Readonly<Record<string, CodeFunction>>
  /**
   * What one evaluation of a `calculation` expression may do: `maxSteps` (default 1,000,000)
   * and `maxSize`, characters and list items read or built (default 8,388,608). Past either
   * the job fails with `expression_budget`.
   */
  expressionBudget?: Partial<ExpressionBudget>
  /**
   * The `request` node's options: `denyPrivateNetworks: true` refuses private, loopback,
   * link-local and other non-public addresses (IPv4 and IPv6), checked on the address each
   * hop connects to; `allowNetworks` lets listed addresses or CIDR ranges through all the same.
   */
  requestNode?: RequestNodeOptions
  /**
   * Default true. false makes a receiver-only process: it answers webhooks, runs sync workflows
   * inline and stores and enqueues async ones, but never works the queue; worker processes on
   * the same store (and queue) run them. Needs a queue other processes read: a durable store's
   * own queue or BullMQ.
   */
  worker?: boolean
  /**
   * Where hookflow's log lines go: any object with pino's methods (`warn(fields, message)`...),
   * pino itself included. Default: `createConsoleLogger()`, one line per event from `warn` up
   * (every failed execution, every store or queue outage). `false` turns logging off.
   */
  logger?: Logger | false
  /**
   * OpenTelemetry providers for hookflow's spans and metrics. Default: the global ones of
   * `@opentelemetry/api` (no-ops until the application registers an SDK, which it should do
   * before `createEngine`).
   */
  telemetry?: TelemetryOptions
}

/**
 * The built-in node types every engine has, besides `code` (built per engine around its `functions`).
 *
 * @example
 * ```ts
 * import { builtInNodeTypes } from 'hookflow'
 *
 * console.log(builtInNodeTypes.map((nodeType) => nodeType.type)) // ['condition', 'response', 'end', …]
 * ```
 */
export const builtInNodeTypes: readonly NodeType<any, any>[] = [
  conditionNode,
  responseNode,
  endNode,
  loopNode,
  parallelNode,
  delayNode,
  requestNode,
  multiConditionsNode,
  calculationNode,
  variableNode,
  jsonQueryNode,
]

/** The built-ins, with the ones engine options configure built for this engine. */
function configuredNodeTypes(options: CreateEngineOptions): NodeType<any, any>[] {
  const calculation = options.expressionBudget ? createCalculationNode({ expressionBudget: options.expressionBudget }) : calculationNode
  const request = options.requestNode ? createRequestNode(options.requestNode) : requestNode
  return builtInNodeTypes.map((nodeType) => (nodeType === calculationNode ? calculation : nodeType === requestNode ? request : nodeType))
}

/**
 * Creates an engine with the built-in node types, a store (memory by default) and a queue, ready to `register` workflows.
 *
 * @example
 * ```ts
 * import { createEngine, defineNode } from 'hookflow'
 *
 * const score = defineNode<{ email: string }, number, 'score'>({ type: 'score', run: ({ config }) => config.email.length })
 * const engine = createEngine({ nodeTypes: [score] })
 * engine.register({ key: 'lead', trigger: { type: 'webhook', id: 'lead' }, nodes: [{ key: 's', type: 'score', config: { email: '{{$context.body.email}}' } }] })
 * await engine.start()
 * ```
 */
export function createEngine<const Types extends readonly AnyNodeType[] = []>(options: CreateEngineOptions<Types> = {}): Engine<Types[number]> {
  if (options.queue && options.concurrency !== undefined) {
    throw new TypeError('`concurrency` configures the default queue; set it on the queue you pass instead')
  }
  if (options.worker === false && !options.queue && !options.store?.createQueue) {
    throw new TypeError('A receiver-only engine (worker: false) needs a queue that workers in other processes read: a durable store (hookflow/sqlite, hookflow/postgres) or a queue such as hookflow/bullmq')
  }
  const store = options.store ?? createMemoryStore()
  // A store with its own durable queue runs what it accepted, also after a restart; its
  // polling failures reach the engine's log once per outage (see Queue.reportOutages).
  const ownQueue = options.queue ? undefined : store.createQueue?.({ concurrency: options.concurrency })
  return new Engine<Types[number]>({
    store,
    queue: options.queue ?? ownQueue ?? createMemoryQueue({ concurrency: options.concurrency }),
    nodeTypes: [...configuredNodeTypes(options), createCodeNode(options.functions), ...(options.nodeTypes ?? [])],
    leaseMs: options.leaseMs,
    takeoverIntervalMs: options.takeoverIntervalMs,
    startTimeoutMs: options.startTimeoutMs,
    closeTimeoutMs: options.closeTimeoutMs,
    retention: options.retention,
    checkDefinition: triggerSecurityCheck({ authenticators: options.authenticators }),
    env: options.env,
    maxLoopIterations: options.maxLoopIterations,
    strictResponses: options.strictResponses,
    worker: options.worker,
    logger: options.logger === false ? silentLogger : (options.logger ?? createConsoleLogger()),
    telemetry: options.telemetry,
  })
}
