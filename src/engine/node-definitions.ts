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

/**
 * Any node type, whatever its config, result and name.
 *
 * @example
 * ```ts
 * import { defineNode, type AnyNodeType } from 'hookflow'
 *
 * const nodeTypes: AnyNodeType[] = [defineNode({ type: 'noop', run: () => null })]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeType = NodeType<any, any, string>

/**
 * One header as a Response node or a trigger's answer writes it.
 *
 * @example
 * ```ts
 * import type { HeaderEntry } from 'hookflow'
 *
 * const headers: HeaderEntry[] = [{ name: 'cache-control', value: 'no-store' }]
 * ```
 */
export interface HeaderEntry {
  /** The header name. */
  name: string
  /** The header value, templated. */
  value: string
}

/**
 * The basic engine's calculators (`condition`, `multi-conditions`, a loop's `condition`).
 *
 * @example
 * ```ts
 * import type { CalculatorName } from 'hookflow'
 *
 * const calculator: CalculatorName = 'gte'
 * ```
 */
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

/**
 * One comparison: a calculator applied to its operands (values or templates).
 *
 * @example
 * ```ts
 * import type { ConditionCalculation } from 'hookflow'
 *
 * const large: ConditionCalculation = { calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }
 * ```
 */
export interface ConditionCalculation {
  /** How the operands are compared. */
  calculator: CalculatorName
  /** The values compared, usually two; templates are rendered first. */
  operands: unknown[]
}

/**
 * Calculations joined by `and` or `or`; groups nest.
 *
 * @example
 * ```ts
 * import type { ConditionGroup } from 'hookflow'
 *
 * const paidInEuro: ConditionGroup = {
 *   group: {
 *     type: 'and',
 *     calculations: [
 *       { calculator: 'equal', operands: ['{{$context.body.status}}', 'paid'] },
 *       { calculator: 'equal', operands: ['{{$context.body.currency}}', 'EUR'] },
 *     ],
 *   },
 * }
 * ```
 */
export interface ConditionGroup {
  /** `and` or `or` over its calculations and nested groups. */
  group: { type: 'and' | 'or'; calculations: Array<ConditionCalculation | ConditionGroup> }
}

/**
 * When a Parallel node settles: `all` branches resolve, `any` one resolves, the first to settle (`race`), or all settle (`allSettled`).
 *
 * @example
 * ```ts
 * import type { ParallelMode } from 'hookflow'
 *
 * const mode: ParallelMode = 'allSettled'
 * ```
 */
export type ParallelMode = 'all' | 'any' | 'race' | 'allSettled'
/**
 * The methods a Request node may send, in either case.
 *
 * @example
 * ```ts
 * import type { HttpMethod } from 'hookflow'
 *
 * const method: HttpMethod = 'POST'
 * ```
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head'
/**
 * How a Request node encodes its `data`.
 *
 * @example
 * ```ts
 * import type { RequestContentType } from 'hookflow'
 *
 * const contentType: RequestContentType = 'application/x-www-form-urlencoded'
 * ```
 */
export type RequestContentType = 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain'
/**
 * Headers or query parameters of a Request node: a list of `{ name, value }`, or an object.
 *
 * @example
 * ```ts
 * import type { NameValueList } from 'hookflow'
 *
 * const asList: NameValueList = [{ name: 'x-request-id', value: '{{$context.body.id}}' }]
 * const asObject: NameValueList = { page: 1, q: 'open' }
 * ```
 */
export type NameValueList = Array<{ name: string; value?: unknown }> | Record<string, unknown>

/**
 * What every node has besides `type`, `config` and `branches`.
 *
 * @inline
 */
interface NodeBase {
  /** Unique in the workflow, `[A-Za-z0-9_-]{1,64}`: its result is `$jobsMapByNodeKey.<key>`. */
  key: string
  /** A name for people. */
  title?: string
  /** Runs the node again when it throws: `{ attempts, backoff, delayMs, maxDelayMs }`. */
  retry?: RetryPolicy
}

/** @inline */
type Chain<Custom extends AnyNodeType> = Array<NodeDefinition<Custom>>

/**
 * A Condition node: goes on to its `true` or `false` branch (or fails the execution with `rejectOnFalse`).
 *
 * @example
 * ```ts
 * import type { ConditionNodeDefinition } from 'hookflow'
 *
 * const bigOrder: ConditionNodeDefinition = {
 *   key: 'big', type: 'condition',
 *   config: { calculation: { calculator: 'gt', operands: ['{{$context.body.total}}', 100] } },
 *   branches: { true: [{ key: 'thanks', type: 'response', config: { statusCode: 200, body: 'big' } }] },
 * }
 * ```
 */
export interface ConditionNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  /** The node type: `condition`. */
  type: 'condition'
  /** The node's settings; any value may be a template, checked once rendered. */
  config: Templated<{ rejectOnFalse?: boolean; engine?: 'basic'; calculation: ConditionCalculation | ConditionGroup }>
  /** `true` runs when the calculation holds, `false` otherwise; both go on to the next node after. */
  branches?: { true?: Chain<Custom>; false?: Chain<Custom> }
}

/**
 * A Response node: the HTTP answer of a sync workflow (status, headers, body, templated).
 *
 * @example
 * ```ts
 * import type { ResponseNodeDefinition } from 'hookflow'
 *
 * const created: ResponseNodeDefinition = {
 *   key: 'created', type: 'response',
 *   config: { statusCode: 201, headers: [{ name: 'location', value: '/orders/{{$context.body.id}}' }], body: { id: '{{$context.body.id}}' } },
 * }
 * ```
 */
export interface ResponseNodeDefinition extends NodeBase {
  /** The node type: `response`. */
  type: 'response'
  /** The node's settings; any value may be a template, checked once rendered. */
  config?: Templated<{ statusCode?: number; headers?: HeaderEntry[]; body?: unknown; end?: boolean }>
}

/**
 * An End node: stops the execution as resolved or failed.
 *
 * @example
 * ```ts
 * import type { EndNodeDefinition } from 'hookflow'
 *
 * const stop: EndNodeDefinition = { key: 'stop', type: 'end', config: { endStatus: 'failed' } }
 * ```
 */
export interface EndNodeDefinition extends NodeBase {
  /** The node type: `end`. */
  type: 'end'
  /** The node's settings; any value may be a template, checked once rendered. */
  config?: Templated<{ endStatus?: 'resolved' | 'failed' }>
}

/**
 * A Loop node: runs its `body` branch for each item of `target` (or `target` times), with an optional condition.
 *
 * @example
 * ```ts
 * import type { LoopNodeDefinition } from 'hookflow'
 *
 * const eachItem: LoopNodeDefinition = {
 *   key: 'items', type: 'loop',
 *   config: { target: '{{$context.body.items}}' },
 *   branches: { body: [{ key: 'post', type: 'request', config: { method: 'POST', url: 'https://example.com/items', data: '{{$scopes.items.item}}' } }] },
 * }
 * ```
 */
export interface LoopNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  /** The node type: `loop`. */
  type: 'loop'
  /** The node's settings; any value may be a template, checked once rendered. */
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
  /** `body` runs once per pass. */
  branches?: { body?: Chain<Custom> }
}

/**
 * A Parallel node: runs every branch at once and settles as its `mode` says.
 *
 * @example
 * ```ts
 * import type { ParallelNodeDefinition } from 'hookflow'
 *
 * const fanOut: ParallelNodeDefinition = {
 *   key: 'notify', type: 'parallel', config: { mode: 'all' },
 *   branches: {
 *     crm: [{ key: 'crm', type: 'request', config: { method: 'POST', url: 'https://crm.example.com/hook' } }],
 *     mail: [{ key: 'mail', type: 'request', config: { method: 'POST', url: 'https://mail.example.com/send' } }],
 *   },
 * }
 * ```
 */
export interface ParallelNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  /** The node type: `parallel`. */
  type: 'parallel'
  /** The node's settings; any value may be a template, checked once rendered. */
  config?: Templated<{ mode?: ParallelMode }>
  /** Any names; every branch runs at once. */
  branches?: Record<string, Chain<Custom>>
}

/**
 * A Delay node: waits, then goes on (or ends the execution with `endStatus`).
 *
 * @example
 * ```ts
 * import type { DelayNodeDefinition } from 'hookflow'
 *
 * const wait: DelayNodeDefinition = { key: 'wait', type: 'delay', config: { duration: 10, unit: 'm' } }
 * ```
 */
export interface DelayNodeDefinition extends NodeBase {
  /** The node type: `delay`. */
  type: 'delay'
  /** The node's settings; any value may be a template, checked once rendered. */
  config: Templated<{ duration: number; unit?: 'ms' | 's' | 'm' | 'h' | 'd'; endStatus?: 'resolved' | 'failed' }>
}

/**
 * A Request node: an outgoing HTTP request whose answer becomes the node's result.
 *
 * @example
 * ```ts
 * import type { RequestNodeDefinition } from 'hookflow'
 *
 * const forward: RequestNodeDefinition = {
 *   key: 'forward', type: 'request',
 *   config: { method: 'POST', url: 'https://api.example.com/orders', data: '{{$context.body}}', timeout: 5000, onlyData: true },
 * }
 * ```
 */
export interface RequestNodeDefinition extends NodeBase {
  /** The node type: `request`. */
  type: 'request'
  /** The node's settings; any value may be a template, checked once rendered. */
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

/**
 * A Multi-conditions node: takes the branch of the first condition that holds, or `otherwise`.
 *
 * @example
 * ```ts
 * import type { MultiConditionsNodeDefinition } from 'hookflow'
 *
 * const route: MultiConditionsNodeDefinition = {
 *   key: 'route', type: 'multi-conditions',
 *   config: { conditions: [{ key: 'paid', calculation: { calculator: 'equal', operands: ['{{$context.body.status}}', 'paid'] } }] },
 *   branches: {
 *     paid: [{ key: 'ok', type: 'response', config: { statusCode: 200 } }],
 *     otherwise: [{ key: 'ignored', type: 'response', config: { statusCode: 202 } }],
 *   },
 * }
 * ```
 */
export interface MultiConditionsNodeDefinition<Custom extends AnyNodeType = never> extends NodeBase {
  /** The node type: `multi-conditions`. */
  type: 'multi-conditions'
  /** The node's settings; any value may be a template, checked once rendered. */
  config: Templated<{ conditions: Array<{ key?: string; title?: string; calculation: ConditionCalculation | ConditionGroup }> }>
  /** A condition's `key` or its position from 1 (`"1"`, `"2"`…), and `otherwise`. */
  branches?: Record<string, Chain<Custom>>
}

/**
 * A Calculation node: evaluates a safe arithmetic and logic expression over named variables.
 *
 * @example
 * ```ts
 * import type { CalculationNodeDefinition } from 'hookflow'
 *
 * const total: CalculationNodeDefinition = {
 *   key: 'total', type: 'calculation',
 *   config: { expression: 'price * quantity', variables: { price: '{{$context.body.price}}', quantity: '{{$context.body.quantity}}' } },
 * }
 * ```
 */
export interface CalculationNodeDefinition extends NodeBase {
  /** The node type: `calculation`. */
  type: 'calculation'
  /** The node's settings. */
  config: { expression: string; variables?: Record<string, unknown> }
}

/**
 * A Variable node: declares a value, or assigns a new one to an earlier Variable node (`target`).
 *
 * @example
 * ```ts
 * import type { VariableNodeDefinition } from 'hookflow'
 *
 * const counter: VariableNodeDefinition = { key: 'count', type: 'variable', config: { value: 0 } }
 * ```
 */
export interface VariableNodeDefinition extends NodeBase {
  /** The node type: `variable`. */
  type: 'variable'
  /** The node's settings. */
  config?: { value?: unknown; target?: string }
}

/**
 * A JSON query node: picks values out of `source` into the shape `mapping` gives.
 *
 * @example
 * ```ts
 * import type { JsonQueryNodeDefinition } from 'hookflow'
 *
 * const pick: JsonQueryNodeDefinition = {
 *   key: 'pick', type: 'json-query',
 *   config: { source: '{{$context.body}}', mapping: { id: 'order.id', email: 'customer.email' } },
 * }
 * ```
 */
export interface JsonQueryNodeDefinition extends NodeBase {
  /** The node type: `json-query`. */
  type: 'json-query'
  /** The node's settings. */
  config?: { source?: unknown; mapping?: unknown }
}

/**
 * A Code node: calls a function registered with `createCodeNode`, by name, with templated arguments.
 *
 * @example
 * ```ts
 * import type { CodeNodeDefinition } from 'hookflow'
 *
 * const score: CodeNodeDefinition = { key: 'score', type: 'code', config: { function: 'scoreLead', args: { email: '{{$context.body.email}}' } } }
 * ```
 */
export interface CodeNodeDefinition extends NodeBase {
  /** The node type: `code`. */
  type: 'code'
  /** The node's settings; any value may be a template, checked once rendered. */
  config: Templated<{ function: string; args?: Record<string, unknown> }>
}

/**
 * A node of a type every engine has.
 *
 * @example
 * ```ts
 * import type { BuiltInNodeDefinition } from 'hookflow'
 *
 * const node: BuiltInNodeDefinition = { key: 'done', type: 'end' }
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { defineNode, type CustomNodeDefinition } from 'hookflow'
 *
 * const greet = defineNode<{ name: string }, string, 'greet'>({ type: 'greet', run: ({ config }) => `hello ${config.name}` })
 * const node: CustomNodeDefinition<typeof greet> = { key: 'hi', type: 'greet', config: { name: 'Ada' } }
 * ```
 */
export type CustomNodeDefinition<Types extends AnyNodeType, Custom extends AnyNodeType = Types> = Types extends NodeType<infer Config, unknown, infer Type>
  ? NodeBase & { type: Type; branches?: Record<string, Chain<Custom>> } & ConfigField<Config>
  : never

/**
 * A node: a built-in one, or one of the custom types `Custom` (none by default).
 *
 * @example
 * ```ts
 * import { defineNode, type NodeDefinition } from 'hookflow'
 *
 * const greet = defineNode<{ name: string }, string, 'greet'>({ type: 'greet', run: ({ config }) => `hello ${config.name}` })
 * const nodes: Array<NodeDefinition<typeof greet>> = [
 *   { key: 'hi', type: 'greet', config: { name: 'Ada' } },
 *   { key: 'ok', type: 'response', config: { statusCode: 200, body: '{{$jobsMapByNodeKey.hi}}' } },
 * ]
 * ```
 */
export type NodeDefinition<Custom extends AnyNodeType = never> = BuiltInNodeDefinition<Custom> | CustomNodeDefinition<Custom>

/**
 * A node of any type, built-in or custom, as a bare `Engine` takes it.
 *
 * @example
 * ```ts
 * import type { AnyNodeDefinition } from 'hookflow'
 *
 * const node: AnyNodeDefinition = { key: 'score', type: 'lead-score', config: { weight: 2 } }
 * ```
 */
export type AnyNodeDefinition = NodeDefinition<AnyNodeType>

/**
 * Any node, as code that reads definitions of every engine sees them.
 *
 * @example
 * ```ts
 * import type { GenericNodeDefinition } from 'hookflow'
 *
 * function countNodes(nodes: GenericNodeDefinition[]): number {
 *   return nodes.reduce((sum, node) => sum + 1 + Object.values(node.branches ?? {}).reduce((n, chain) => n + countNodes(chain), 0), 0)
 * }
 * ```
 */
export interface GenericNodeDefinition {
  /** Unique in the workflow. */
  key: string
  /** The node type. */
  type: string
  /** A name for people. */
  title?: string
  /** The node's settings. */
  config?: Record<string, unknown>
  /** Chains of nodes by branch name. */
  branches?: Record<string, GenericNodeDefinition[]>
  /** How the node is tried again when it throws. */
  retry?: RetryPolicy
}
