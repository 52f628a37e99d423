/**
 * @module
 * What a node type is, and `defineNode`, which types one without registering anything.
 *
 * ```ts
 * const score = defineNode({
 *   type: 'acme.score',
 *   configSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
 *   run: async ({ config, signal }) => ({ score: config.amount > 1000 ? 7 : 1 }),   // config.amount: number
 * })
 * const engine = createEngine({ nodeTypes: [score] })
 * ```
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts'
import type { ErrorInfo, ExecutionStatus, JobRecord, ResponseDescription, TriggerContext } from './execution.js'
import type { TemplatePart } from './templates/compile-template.js'

export type { TemplatePart }

/**
 * What a node can do to the flow besides returning its result.
 *
 * @example
 * ```ts
 * import { defineNode } from 'hookflow'
 *
 * const approve = defineNode<{ amount: number }, boolean, 'approve'>({
 *   type: 'approve',
 *   branches: ['yes', 'no'],
 *   choosesBranch: true,
 *   run: ({ config, flow }) => {
 *     const ok = config.amount < 1000
 *     flow.branch(ok ? 'yes' : 'no')
 *     return ok
 *   },
 * })
 * ```
 */
export interface NodeFlow {
  /** Run the named branch (one of the type's `branches`) right after this node. */
  branch(name: string): void
  /** Answer the webhook (the first answer of an execution wins; later ones are only recorded). */
  respond(response: ResponseDescription): void
  /** End the execution with this status once the node returns; the job takes the same status. */
  end(status: 'resolved' | 'failed'): void
  /** Make this node's result also the result of the earlier node `nodeKey` (a `variable` node's assign). */
  assign(nodeKey: string): void
  /**
   * Runs one of this node's branches now, inside this node (a loop's body, a parallel's
   * branches), and resolves with how it ended. With `scope`, templates in the branch read it as
   * `$scopes.<this node's key>`. The branch stops when `signal` aborts (or the execution does).
   * More runs than the engine's `maxLoopIterations` in one node run reject.
   */
  run(name: string, options?: BranchRunOptions): Promise<BranchOutcome>
  /** Renders a `deferredConfig` key of this node's config, with `scope` as `$scopes.<this node's key>`. */
  render(key: string, scope?: unknown): unknown
  /**
   * Renders a `deferredConfig` key whose value is a string as its parts: the literal text and
   * each template's value with its path, unjoined, so the node can escape every value for
   * where it lands (the `request` node percent-encodes the ones in a URL's path). `[]` when
   * the key is absent or not a string.
   */
  renderParts(key: string, scope?: unknown): TemplatePart[]
  /**
   * Parks the execution until `wakeAt` (epoch ms; async workflows): this job is stored as
   * `waiting`, and on wake the node runs again with that job as `previous`.
   */
  wait(wakeAt: number): void
  /** The limits this node run works within. */
  readonly limits: Readonly<RunLimits>
}

/**
 * The limits a node run works within, as the engine was built with them.
 *
 * @example
 * ```ts
 * import { defineNode } from 'hookflow'
 *
 * const repeat = defineNode<{ times: number }, number, 'repeat'>({
 *   type: 'repeat', branches: ['body'],
 *   run: async ({ config, flow }) => {
 *     const times = Math.min(config.times, flow.limits.maxLoopIterations)
 *     for (let i = 0; i < times; i++) await flow.run('body', { scope: { index: i } })
 *     return times
 *   },
 * })
 * ```
 */
export interface RunLimits {
  /** Branch runs one node run may start (loop passes). */
  maxLoopIterations: number
}

/**
 * What a node gives `flow.run`: the `$scopes` value of the branch run, and a signal to stop it.
 *
 * @example
 * ```ts
 * import { defineNode } from 'hookflow'
 *
 * const each = defineNode<{ items: unknown[] }, number, 'each'>({
 *   type: 'each', branches: ['body'],
 *   run: async ({ config, flow, signal }) => {
 *     for (const item of config.items) await flow.run('body', { scope: { item }, signal })
 *     return config.items.length
 *   },
 * })
 * ```
 */
export interface BranchRunOptions {
  /** What templates in the branch read as `$scopes.<this node's key>`. */
  scope?: unknown
  /** Stops the branch run when it aborts. */
  signal?: AbortSignal
}

/**
 * How an inline branch run ended.
 *
 * @example
 * ```ts
 * import { defineNode } from 'hookflow'
 *
 * const attempt = defineNode<Record<string, unknown>, string, 'attempt'>({
 *   type: 'attempt', branches: ['body'],
 *   run: async ({ flow }) => {
 *     const outcome = await flow.run('body')
 *     return outcome.status === 'resolved' ? 'ok' : `body ${outcome.status}: ${outcome.error?.message ?? ''}`
 *   },
 * })
 * ```
 */
export interface BranchOutcome {
  /** `parked`: a node in it parked the execution (see `flow.wait`); return, the run resumes later. */
  status: 'resolved' | 'failed' | 'error' | 'aborted' | 'parked'
  /** A node ended the execution on purpose (`flow.end`), not only the branch. */
  ended: boolean
  /** The error the branch failed with, or null. */
  error: ErrorInfo | null
}

/**
 * What a node type's `run` receives: its rendered config, the execution, earlier results, the flow and an abort signal.
 *
 * @example
 * ```ts
 * import { defineNode, type NodeRunArgs } from 'hookflow'
 *
 * async function lookUp({ config, signal }: NodeRunArgs<{ url: string }>): Promise<unknown> {
 *   const response = await fetch(config.url, { signal })
 *   return response.json()
 * }
 * const lookUpNode = defineNode({ type: 'look-up', run: lookUp })
 * ```
 */
export interface NodeRunArgs<Config> {
  /** The node's config with every template rendered. */
  config: Config
  /** Fires when the execution is aborted (workflow timeout, sync timeout, client gone). */
  signal: AbortSignal
  /** `branches` lists the branch names this node has in its definition. */
  node: { key: string; type: string; title?: string; branches: readonly string[] }
  /** The execution it runs in, with its trigger context. */
  execution: { id: string; workflowKey: string; sync: boolean; context: TriggerContext }
  /** Results of the nodes that ran so far, by node key (`$jobsMapByNodeKey`). */
  jobs: Readonly<Record<string, unknown>>
  /** Branching, answering, ending, parking and inline branch runs. */
  flow: NodeFlow
  /** This node run's job from an earlier attempt when it did not resolve (a `waiting` delay, a failure before a retry). */
  previous?: Readonly<JobRecord>
}

/**
 * A problem found in a node's config when a workflow is registered.
 *
 * @example
 * ```ts
 * import { defineNode } from 'hookflow'
 *
 * const percent = defineNode<{ value: number }, number, 'percent'>({
 *   type: 'percent',
 *   validate: (config) => ((config as { value?: unknown }).value === undefined ? [{ path: '/value', message: 'is required' }] : []),
 *   run: ({ config }) => config.value / 100,
 * })
 * ```
 */
export interface ConfigProblem {
  /** JSON Pointer relative to the node's `config`, `''` for the config itself. */
  path: string
  /** What is wrong there. */
  message: string
}

/** @inline */
export interface NodeValidationContext {
  sync: boolean
}

/**
 * A node type: its name, config schema, branches and `run`; `defineNode` types one, `createEngine({ nodeTypes })` adds it.
 *
 * @example
 * ```ts
 * import { createEngine, type NodeType } from 'hookflow'
 *
 * const upper: NodeType<{ text: string }, string, 'upper'> = {
 *   type: 'upper',
 *   configSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
 *   run: ({ config }) => config.text.toUpperCase(),
 * }
 * const engine = createEngine({ nodeTypes: [upper] })
 * ```
 */
export interface NodeType<Config = Record<string, unknown>, Result = unknown, Type extends string = string> {
  /** The `type` definitions use, e.g. `condition` or `acme.score`. */
  type: Type
  /** JSON Schema (ajv) for the rendered config; without it the config is not validated. */
  configSchema?: object
  /** Branch names this type runs, e.g. `['true', 'false']`; none when absent. */
  branches?: readonly string[]
  /** Any branch name is allowed (a parallel node's branches are named by the definition). */
  anyBranches?: boolean
  /**
   * Its branches run after it, one of them, once (`flow.branch`, as `condition` does), never
   * inline with `flow.run`. `register` then knows that a template in one branch cannot read a
   * result of another branch, nor of a later node of its own branch.
   */
  choosesBranch?: boolean
  /** Branch names that depend on the raw config (`multi-conditions`); wins over `branches`. */
  branchesFor?(config: unknown): readonly string[]
  /** Refused in async workflows (the Response node). */
  syncOnly?: boolean
  /** Answers the webhook when it runs (the Response node): registration checks of sync workflows look for one on every path. */
  responds?: boolean
  /** Ends the execution when it runs (the End node). */
  ends?: boolean
  /** Refused in sync workflows (the delay node: a sync request cannot wait for hours). */
  asyncOnly?: boolean
  /**
   * Top-level config keys not rendered before `run`: the node renders them itself, as often
   * as it needs, with `flow.render(key, scope)` (a loop's condition, checked on every pass).
   */
  deferredConfig?: readonly string[]
  /** Static checks beyond the schema, run once at `register` on the raw config. */
  validate?(config: unknown, context: NodeValidationContext): ConfigProblem[]
  /** Runs the node with its rendered config; what it returns (or resolves with) is the node's result. */
  run(args: NodeRunArgs<Config>): Result | Promise<Result>
}

/**
 * A JSON Schema for an object, as `configSchema` takes it.
 *
 * @example
 * ```ts
 * import { defineNode, type ConfigSchema } from 'hookflow'
 *
 * const schema = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } as const satisfies ConfigSchema
 * const double = defineNode({ type: 'double', configSchema: schema, run: ({ config }) => config.amount * 2 })
 * ```
 */
export type ConfigSchema = Exclude<JSONSchema, boolean>

/**
 * The config type a `configSchema` with `type: 'object'` describes (json-schema-to-ts's
 * `FromSchema`); any other schema (or one only known as "some schema") gives a plain record:
 * expanding `FromSchema` over every possible schema is more than the compiler can hold.
 *
 * @example
 * ```ts
 * import type { ConfigFromSchema } from 'hookflow'
 *
 * const schema = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] } as const
 * type Config = ConfigFromSchema<typeof schema> // { amount: number; [x: string]: unknown }
 * ```
 */
export type ConfigFromSchema<Schema extends ConfigSchema> = [Schema] extends [{ readonly type: 'object' }] ? FromSchema<Schema> : Record<string, unknown>

/**
 * Returns its argument typed; registers nothing (pass it to `createEngine({ nodeTypes })`).
 * With a `configSchema`, `config` is typed from it (json-schema-to-ts); without one, give the
 * config type: `defineNode<{ amount: number }>({ ... })`. The `type` keeps its literal name,
 * so definitions of an engine built with this node are checked against its config.
 *
 * @example
 * ```ts
 * import { createEngine, defineNode } from 'hookflow'
 *
 * const score = defineNode({
 *   type: 'acme.score',
 *   configSchema: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
 *   run: ({ config }) => (config.email.endsWith('@acme.com') ? 100 : 10),
 * })
 * const engine = createEngine({ nodeTypes: [score] })
 * engine.register({
 *   key: 'lead', trigger: { type: 'webhook', id: 'lead' },
 *   nodes: [{ key: 'score', type: 'acme.score', config: { email: '{{$context.body.email}}' } }],
 * })
 * ```
 */
export function defineNode<const Type extends string, const Schema extends ConfigSchema, Result>(
  nodeType: NodeType<ConfigFromSchema<Schema>, Result, Type> & { configSchema: Schema },
): NodeType<ConfigFromSchema<Schema>, Result, Type>
export function defineNode<Config = Record<string, unknown>, Result = unknown, const Type extends string = string>(
  nodeType: NodeType<Config, Result, Type>,
): NodeType<Config, Result, Type>
export function defineNode(nodeType: NodeType<unknown, unknown>): NodeType<unknown, unknown> {
  return nodeType
}

/** The final status a flow decision leads to. */
export type FlowEnd = Extract<ExecutionStatus, 'resolved' | 'failed'>
