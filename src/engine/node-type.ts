/**
 * @module
 * What a node type is, and `defineNode`, which types one without registering anything.
 *
 * ```ts
 * const score = defineNode({
 *   type: 'acme.score',
 *   configSchema: { type: 'object', properties: { amount: { type: 'number' } } },
 *   run: async ({ config, signal }) => ({ score: config.amount > 1000 ? 7 : 1 }),
 * })
 * const engine = createEngine({ nodeTypes: [score] })
 * ```
 */
import type { ExecutionStatus, ResponseDescription, TriggerContext } from './execution.js'

/** What a node can do to the flow besides returning its result. */
export interface NodeFlow {
  /** Run the named branch (one of the type's `branches`) right after this node. */
  branch(name: string): void
  /** Answer the webhook (the first answer of an execution wins; later ones are only recorded). */
  respond(response: ResponseDescription): void
  /** End the execution with this status once the node returns; the job takes the same status. */
  end(status: 'resolved' | 'failed'): void
  /** Make this node's result also the result of the earlier node `nodeKey` (a `variable` node's assign). */
  assign(nodeKey: string): void
}

export interface NodeRunArgs<Config> {
  /** The node's config with every template rendered. */
  config: Config
  /** Fires when the execution is aborted (workflow timeout, sync timeout, client gone). */
  signal: AbortSignal
  /** `branches` lists the branch names this node has in its definition. */
  node: { key: string; type: string; title?: string; branches: readonly string[] }
  execution: { id: string; workflowKey: string; sync: boolean; context: TriggerContext }
  /** Results of the nodes that ran so far, by node key (`$jobsMapByNodeKey`). */
  jobs: Readonly<Record<string, unknown>>
  flow: NodeFlow
}

/** A problem found in a node's config when a workflow is registered. */
export interface ConfigProblem {
  /** JSON Pointer relative to the node's `config`, `''` for the config itself. */
  path: string
  message: string
}

export interface NodeValidationContext {
  sync: boolean
}

export interface NodeType<Config = Record<string, unknown>, Result = unknown> {
  /** The `type` definitions use, e.g. `condition` or `acme.score`. */
  type: string
  /** JSON Schema (ajv) for the rendered config; without it the config is not validated. */
  configSchema?: object
  /** Branch names this type runs, e.g. `['true', 'false']`; none when absent. */
  branches?: readonly string[]
  /** Branch names that depend on the raw config (`multi-conditions`); wins over `branches`. */
  branchesFor?(config: unknown): readonly string[]
  /** Refused in async workflows (the Response node). */
  syncOnly?: boolean
  /** Static checks beyond the schema, run once at `register` on the raw config. */
  validate?(config: unknown, context: NodeValidationContext): ConfigProblem[]
  run(args: NodeRunArgs<Config>): Result | Promise<Result>
}

/** Returns its argument typed; registers nothing (pass it to `createEngine({ nodeTypes })`). */
export function defineNode<Config = Record<string, unknown>, Result = unknown>(
  nodeType: NodeType<Config, Result>,
): NodeType<Config, Result> {
  return nodeType
}

/** The final status a flow decision leads to. */
export type FlowEnd = Extract<ExecutionStatus, 'resolved' | 'failed'>
