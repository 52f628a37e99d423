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

export type { RetryPolicy }

export interface HeaderEntry {
  name: string
  value: string
}

export interface RequestVariable {
  key: string
  alias?: string
}

/** `json`, `form` (urlencoded), `multipart` (form-data), `text` (`text/*`), `raw` (anything else). */
export type BodyKindName = 'json' | 'form' | 'multipart' | 'text' | 'raw'

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

export interface TriggerResponseConfig {
  statusCode?: number
  headers?: HeaderEntry[]
  body?: unknown
}

export interface WebhookTriggerConfig {
  type: 'webhook'
  /** The URL segment under `basePath`; generated (128 random bits) when absent. */
  id?: string
  /** A path-to-regexp pattern under `basePath` instead of the id, e.g. `/orders/:orderId`. */
  path?: string
  /** Default `['POST']`. */
  methods?: string[]
  basicAuthentication?: { username: string; password: string } | false
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

export interface ConditionCalculation {
  calculator: string
  operands: [unknown, unknown] | unknown[]
}

export interface ConditionGroup {
  group: { type: 'and' | 'or'; calculations: Array<ConditionCalculation | ConditionGroup> }
}

export interface ConditionNodeDefinition {
  key: string
  type: 'condition'
  title?: string
  config: { rejectOnFalse?: boolean; engine?: 'basic'; calculation: ConditionGroup }
  branches?: { true?: NodeDefinition[]; false?: NodeDefinition[] }
}

export interface ResponseNodeDefinition {
  key: string
  type: 'response'
  title?: string
  config: { statusCode?: number; headers?: HeaderEntry[]; body?: unknown; end?: boolean }
}

export interface EndNodeDefinition {
  key: string
  type: 'end'
  title?: string
  config?: { endStatus?: 'resolved' | 'failed' }
}

/** A node of any type, built-in or registered through `createEngine({ nodeTypes })`. */
export interface GenericNodeDefinition {
  key: string
  type: string
  title?: string
  config?: Record<string, unknown>
  branches?: Record<string, NodeDefinition[]>
  /** Runs the node again when it throws: `{ attempts, backoff, delayMs, maxDelayMs }`. */
  retry?: RetryPolicy
}

export type NodeDefinition =
  | ConditionNodeDefinition
  | ResponseNodeDefinition
  | EndNodeDefinition
  | GenericNodeDefinition

export interface WorkflowDefinition {
  /** Unique, `[A-Za-z0-9_-]{1,64}`. */
  key: string
  title?: string
  /** Default true; a disabled workflow answers 404. */
  enabled?: boolean
  /** Default false: answer at once and run in the background. */
  sync?: boolean
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
  trigger: WebhookTriggerConfig
  nodes: NodeDefinition[]
}

/** Returns its argument, typed: completion and type errors for the definition format. */
export function defineWorkflow<const T extends WorkflowDefinition>(definition: T): T {
  return definition
}
