/**
 * @module
 * The types of node definitions: one per built-in node type, its `config` told apart by
 * `type` (a discriminated union), and the nodes of custom types, typed from their `defineNode`.
 * Types only: the engine runs nodes through their registry, never through these. Every config
 * value may also be a template (`Templated`), which is checked once rendered.
 *
 * ```ts
 * const node: NodeDefinition = { key: 'ok', type: 'response', config: { statusCode: 200, body: '{{$context.body}}' } }
 * // @ts-expect-error: a Response node has no `status`
 * const typo: NodeDefinition = { key: 'ok', type: 'response', config: { status: 200 } }
 * ```
 */
import type { Templated } from './definition.js'
import type { NodeType } from './node-type.js'
import type { RetryPolicy } from './node-retry.js'

/** Any node type, whatever its config, result and name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeType = NodeType<any, any, string>

export interface HeaderEntry {
  name: string
  value: string
}

/** The basic engine's calculators (`condition`, `multi-conditions`, a loop's `condition`). */
export type CalculatorName =
  | 'equal'
  | 'notEqual'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'includes'
  | 'notIncludes'
  | 'startsWith'
  | 'notStartsWith'
  | 'endsWith'
  | 'notEndsWith'

export interface ConditionCalculation {
  calculator: CalculatorName
  operands: unknown[]
}

export interface ConditionGroup {
  group: { type: 'and' | 'or'; calculations: Array<ConditionCalculation | ConditionGroup> }
}

export type ParallelMode = 'all' | 'any' | 'race' | 'allSettled'
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head'
export type RequestContentType = 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain'
export type NameValueList = Array<{ name: string; value?: unknown }> | Record<string, unknown>

/** What every node has besides `type`, `config` and `branches`. */
interface NodeBase {
  /** Unique in the workflow, `[A-Za-z0-9_-]{1,64}`: its result is `$jobsMapByNodeKey.<key>`. */
  key: string
  title?: string
  /** Runs the node again when it throws: `{ attempts, backoff, delayMs, maxDelayMs }`. */
  retry?: RetryPolicy
}

type Chain<Custom extends AnyNodeType> = Array<NodeDefinition<Custom>>

export interface ConditionNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  type: 'condition'
  config: Templated<{ rejectOnFalse?: boolean; engine?: 'basic'; calculation: ConditionCalculation | ConditionGroup }>
  branches?: { true?: Chain<Custom>; false?: Chain<Custom> }
}

export interface ResponseNodeDefinition extends NodeBase {
  type: 'response'
  config?: Templated<{ statusCode?: number; headers?: HeaderEntry[]; body?: unknown; end?: boolean }>
}

export interface EndNodeDefinition extends NodeBase {
  type: 'end'
  config?: Templated<{ endStatus?: 'resolved' | 'failed' }>
}

export interface LoopNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  type: 'loop'
  config?: Templated<{
    target?: unknown
    condition?: {
      calculation: ConditionCalculation | ConditionGroup
      checkpoint?: 'before' | 'after' | 0 | 1
      exit?: 'break' | 'continue'
      continueOnFalse?: boolean
    }
    exit?: 0 | 1 | 2
  }>
  branches?: { body?: Chain<Custom> }
}

export interface ParallelNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  type: 'parallel'
  config?: Templated<{ mode?: ParallelMode }>
  /** Any names; every branch runs at once. */
  branches?: Record<string, Chain<Custom>>
}

export interface DelayNodeDefinition extends NodeBase {
  type: 'delay'
  config: Templated<{ duration: number; unit?: 'ms' | 's' | 'm' | 'h' | 'd'; endStatus?: 'resolved' | 'failed' }>
}

export interface RequestNodeDefinition extends NodeBase {
  type: 'request'
  config: Templated<{
    method?: HttpMethod
    url: string
    headers?: NameValueList
    params?: NameValueList
    contentType?: RequestContentType
    data?: unknown
    timeout?: number
    ignoreFail?: boolean
    onlyData?: boolean
    maxResponseBytes?: number
    maxRedirects?: number
  }>
}

export interface MultiConditionsNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  type: 'multi-conditions'
  config: Templated<{ conditions: Array<{ key?: string; title?: string; calculation: ConditionCalculation | ConditionGroup }> }>
  /** A condition's `key` or its position from 1 (`"1"`, `"2"`…), and `otherwise`. */
  branches?: Record<string, Chain<Custom>>
}

export interface CalculationNodeDefinition extends NodeBase {
  type: 'calculation'
  config: { expression: string; variables?: Record<string, unknown> }
}

export interface VariableNodeDefinition extends NodeBase {
  type: 'variable'
  config?: { value?: unknown; target?: string }
}

export interface JsonQueryNodeDefinition extends NodeBase {
  type: 'json-query'
  config?: { source?: unknown; mapping?: unknown }
}

export interface CodeNodeDefinition extends NodeBase {
  type: 'code'
  config: Templated<{ function: string; args?: Record<string, unknown> }>
}

/** A node of a type every engine has. */
export type BuiltInNodeDefinition<Custom extends AnyNodeType = never> =
  | ConditionNodeDefinition<Custom>
  | ResponseNodeDefinition
  | EndNodeDefinition
  | LoopNodeDefinition<Custom>
  | ParallelNodeDefinition<Custom>
  | DelayNodeDefinition
  | RequestNodeDefinition
  | MultiConditionsNodeDefinition<Custom>
  | CalculationNodeDefinition
  | VariableNodeDefinition
  | JsonQueryNodeDefinition
  | CodeNodeDefinition

type ConfigField<Config> = {} extends Config ? { config?: Templated<Config> } : { config: Templated<Config> }

/**
 * A node of a custom type, from what `defineNode` returned: `type` its name and `config` its
 * config (from `configSchema`, or the type given to `defineNode`). A type named only as
 * `string` accepts any name.
 */
export type CustomNodeDefinition<Types extends AnyNodeType, Custom extends AnyNodeType = Types> = Types extends NodeType<infer Config, unknown, infer Type>
  ? NodeBase & { type: Type; branches?: Record<string, Chain<Custom>> } & ConfigField<Config>
  : never

/** A node: a built-in one, or one of the custom types `Custom` (none by default). */
export type NodeDefinition<Custom extends AnyNodeType = never> = BuiltInNodeDefinition<Custom> | CustomNodeDefinition<Custom>

/** A node of any type, built-in or custom, as a bare `Engine` takes it. */
export type AnyNodeDefinition = NodeDefinition<AnyNodeType>

/** Any node, as code that reads definitions of every engine sees them. */
export interface GenericNodeDefinition {
  key: string
  type: string
  title?: string
  config?: Record<string, unknown>
  branches?: Record<string, GenericNodeDefinition[]>
  retry?: RetryPolicy
}
