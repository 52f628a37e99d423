/**
 * @module
 * The workflow definition format (plain JSON; trigger fields keep NocoBase's names) and
 * `defineWorkflow`, an identity helper that gives TypeScript users completion and type errors.
 *
 * ```ts
 * const wf = defineWorkflow({
 *   key: 'payment-callback', sync: true,
 *   trigger: { type: 'webhook', id: 'pay' },
 *   nodes: [{ key: 'ok', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * engine.register(wf)
 * ```
 */
import type {
  IdempotencyConfig,
  IpAllowListConfig,
  SignatureConfig,
  TokenAuthenticationConfig,
} from './trigger-security-definition.js'

export type * from './trigger-security-definition.js'

import type { RetryPolicy } from './node-retry.js'
import type { AnyNodeType, HeaderEntry, NodeDefinition } from './node-definitions.js'

export type { RetryPolicy }
export type * from './node-definitions.js'

/**
 * A string that holds a template: `{{$context.body.amount}}`, `order-{{$context.body.id}}`.
 *
 * @example
 * ```ts
 * import type { Template } from 'hookflow'
 *
 * const amount: Template = '{{$context.body.amount}}'
 * ```
 */
export type Template = `${string}{{${string}}}${string}`

/**
 * A config as a definition writes it: each value as its type says, or a template in its place
 * (a whole-value template keeps the rendered value's type, and is checked once rendered).
 * Arrays may be readonly, so configs written `as const` fit.
 *
 * @example
 * ```ts
 * import type { Templated } from 'hookflow'
 *
 * const config: Templated<{ statusCode: number }> = { statusCode: '{{$context.body.code}}' }
 * ```
 */
export type Templated<T> = unknown extends T
  ? unknown
  : T extends string | number | boolean | null | undefined
    ? T | Template
    : T extends ReadonlyArray<infer Item>
      ? ReadonlyArray<Templated<Item>> | Template
      : T extends object
        ? { [K in keyof T]: Templated<T[K]> } | Template
        : T

/**
 * A request field the trigger lists as a variable for the workflow editor (`key` a dotted path, `alias` its label).
 *
 * @example
 * ```ts
 * import type { RequestVariable } from 'hookflow'
 *
 * const orderId: RequestVariable = { key: 'order.id', alias: 'Order id' }
 * ```
 */
export interface RequestVariable {
  /** The field's path in its source: a header name, a query or body path (`order.id`). */
  key: string
  /** A label for editors and tooling. */
  alias?: string
}

/**
 * `json`, `form` (urlencoded), `multipart` (form-data), `text` (`text/*`), `raw` (anything else).
 *
 * @example
 * ```ts
 * import type { BodyKindName } from 'hookflow'
 *
 * const accepted: BodyKindName[] = ['json', 'form']
 * ```
 */
export type BodyKindName = 'json' | 'form' | 'multipart' | 'text' | 'raw'

/**
 * How many and how large the files of a multipart body may be, and whether their bytes are kept.
 *
 * @example
 * ```ts
 * import type { FileLimits } from 'hookflow'
 *
 * const files: FileLimits = { maxFiles: 3, maxFileSize: 5 * 1024 * 1024, includeContent: true }
 * ```
 */
export interface FileLimits {
  /** Most files per body. Default 10. */
  maxFiles?: number
  /** Largest file in bytes. Default: the body limit alone. */
  maxFileSize?: number
  /** Most bytes of all files together. Default: the body limit alone. */
  maxTotalSize?: number
  /** Keep file bytes in `$context.body` as base64 `content`. Default false: `{ filename, contentType, size }`. */
  includeContent?: boolean
}

/**
 * The answer an async webhook gives at once: status, headers and body, templated with `$context`.
 *
 * @example
 * ```ts
 * import type { TriggerResponseConfig } from 'hookflow'
 *
 * const accepted: TriggerResponseConfig = { statusCode: 202, body: { received: '{{$context.body.id}}' } }
 * ```
 */
export interface TriggerResponseConfig {
  /** Default 200. */
  statusCode?: number
  /** Headers of the answer, templated. */
  headers?: HeaderEntry[]
  /** The body, templated; default `ok` as text/plain. */
  body?: unknown
}

/**
 * A workflow's `trigger`: the URL, methods, body kinds, checks and answer of its webhook.
 *
 * @example
 * ```ts
 * import type { WebhookTriggerConfig } from 'hookflow'
 *
 * const trigger: WebhookTriggerConfig = {
 *   type: 'webhook',
 *   path: '/orders/:orderId',
 *   methods: ['POST', 'PUT'],
 *   tokenAuthentication: { token: { env: 'ORDERS_TOKEN' } },
 *   rateLimit: { limit: 100, windowMs: 60_000 },
 * }
 * ```
 */
export interface WebhookTriggerConfig {
  /** Always `webhook`. */
  type: 'webhook'
  /** The URL segment under `basePath`; generated (128 random bits) when absent. */
  id?: string
  /** A path-to-regexp pattern under `basePath` instead of the id, e.g. `/orders/:orderId`. */
  path?: string
  /** Default `['POST']`. */
  methods?: string[]
  /** HTTP Basic credentials a delivery must carry (401 with `WWW-Authenticate` otherwise). */
  basicAuthentication?: { username: string; password: string } | false
  /**
   * What the request carries that the workflow reads: declared variables, accepted body kinds, file limits.
   */
  request?: {
    headers?: RequestVariable[]
    query?: RequestVariable[]
    body?: RequestVariable[]
    /** Body kinds accepted; default `['json']`. Any other body answers 415. */
    contentTypes?: BodyKindName[]
    /** Multipart file limits (413 past them) and whether file bytes are kept. */
    files?: FileLimits
  }
  /** Deliveries per window, per process; past it 429 with `Retry-After`. */
  rateLimit?: { limit: number; windowMs: number }
  /** Async answer; default 200 `ok` text/plain. Templated with `$context`. */
  response?: TriggerResponseConfig
  /** Sync only: longest wait for a response in ms, then 408. Default 30000. */
  timeout?: number
  /** Verify the sender's signature over the raw body (401 when it does not match). */
  signature?: SignatureConfig
  /** A bearer token (or a token in another header), compared in constant time (401). */
  tokenAuthentication?: TokenAuthenticationConfig | false
  /** Only these client addresses (403 for others). */
  ipAllowList?: IpAllowListConfig
  /** The name of an `authenticate` hook given to `createEngine({ authenticators })`. */
  authenticate?: string
  /** At most one execution per delivery id within a window; `true` = the signature scheme's preset. */
  idempotency?: IdempotencyConfig | boolean
}

/**
 * A workflow definition. `Custom` are the custom node types its nodes may use besides the
 * built-in ones (`typeof myNode`, or several as a union); none by default.
 *
 * @example
 * ```ts
 * import type { WorkflowDefinition } from 'hookflow'
 *
 * const workflow: WorkflowDefinition = {
 *   key: 'order-created',
 *   trigger: { type: 'webhook', id: 'orders' },
 *   nodes: [{ key: 'notify', type: 'request', config: { method: 'POST', url: 'https://example.com/notify', data: '{{$context.body}}' } }],
 * }
 * ```
 */
export interface WorkflowDefinition<Custom extends AnyNodeType = never> {
  /** Unique, `[A-Za-z0-9_-]{1,64}`. */
  key: string
  /** A name for people. */
  title?: string
  /** Default true; a disabled workflow answers 404. */
  enabled?: boolean
  /** Default false: answer at once and run in the background. */
  sync?: boolean
  /** How executions of the workflow run: timeout, concurrency, retries, what is kept. */
  options?: {
    /** Workflow timeout in ms; 0 = none. */
    timeout?: number
    /** Executions of this workflow running at once in this process; more wait. Default unlimited. */
    concurrency?: number
    /** Executions of this workflow waiting to start in this process; past it 503 with `Retry-After`. Default unlimited. */
    maxQueued?: number
    /** Executions that end with one of these statuses are deleted instead of kept. */
    deleteExecutionOnStatus?: Array<'resolved' | 'failed' | 'error' | 'aborted'>
    /** Async only: a failed or errored execution is queued again after a backoff, keeping its resolved jobs. */
    retry?: RetryPolicy
    /** Refuse (instead of warn about) a sync workflow where a path ends without a Response node. */
    strictResponses?: boolean
  }
  /** The webhook that starts the workflow. */
  trigger: WebhookTriggerConfig
  /** The nodes, run in order; branches hold their own chains. */
  nodes: Array<NodeDefinition<Custom>>
}

/**
 * A definition whatever the node types of its engine (what code reading any definition sees).
 *
 * @example
 * ```ts
 * import type { AnyWorkflowDefinition } from 'hookflow'
 *
 * function nodeKeys(definition: AnyWorkflowDefinition): string[] {
 *   return definition.nodes.map((node) => node.key)
 * }
 * ```
 */
export type AnyWorkflowDefinition = WorkflowDefinition<AnyNodeType>

/**
 * What `register` returns: the normalized definition, its trigger id filled in, and its path.
 *
 * @example
 * ```ts
 * import { createEngine, type RegisteredWorkflow } from 'hookflow'
 *
 * const engine = createEngine()
 * const registered: RegisteredWorkflow = engine.register({ key: 'ping', trigger: { type: 'webhook' }, nodes: [] })
 * console.log(registered.trigger.id, registered.path) // e.g. 'f3a9…', '/f3a9…'
 * ```
 */
export type RegisteredWorkflow<Custom extends AnyNodeType = never> = WorkflowDefinition<Custom> & {
  trigger: { id: string }
  /**
   * The webhook's path under the trigger's `basePath`: `/<trigger.id>`, or `trigger.path`.
   * Not enumerable, so the object stays a definition that can be stored and registered again.
   */
  readonly path: string
}

/**
 * Returns its argument, typed: completion and type errors for the definition format, each
 * built-in node's `config` checked against its `type` (unknown keys included). Custom node
 * types go in the type argument: `defineWorkflow<typeof score>({ ... })` (a union for several).
 *
 * @example
 * ```ts
 * import { createEngine, defineWorkflow } from 'hookflow'
 *
 * const paid = defineWorkflow({
 *   key: 'payment-callback', sync: true,
 *   trigger: { type: 'webhook', id: 'pay' },
 *   nodes: [{ key: 'ok', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * createEngine().register(paid)
 * ```
 */
// Not generic over the argument: an inferred type parameter would skip excess-property checks.
export function defineWorkflow<Custom extends AnyNodeType = never>(definition: WorkflowDefinition<Custom>): WorkflowDefinition<Custom> {
  return definition
}
