/**
 * @module
 * Retry policies (`retry` on a node, `options.retry` on a workflow): how many tries and how
 * long to wait between them, and an abortable pause.
 *
 * ```json
 * { "key": "call", "type": "request", "retry": { "attempts": 3, "backoff": "exponential", "delayMs": 500, "maxDelayMs": 5000 } }
 * ```
 */
import type { LazyAbort } from './lazy-abort.js'
import { longTimeout } from './long-timeout.js'

/**
 * How often and how far apart a node (or an async execution) is tried again after it fails.
 *
 * @example
 * ```ts
 * import type { RetryPolicy } from 'hookflow'
 *
 * const retry: RetryPolicy = { attempts: 5, backoff: 'exponential', delayMs: 500, maxDelayMs: 30_000 }
 * ```
 */
export interface RetryPolicy {
  /** Tries in all, the first included (1 = no retry). */
  attempts: number
  /** `fixed` (default): `delayMs` each time; `exponential`: `delayMs * 2^(n-1)` before try n + 1. */
  backoff?: 'fixed' | 'exponential'
  /** Default 1000. */
  delayMs?: number
  /** Upper bound of one wait. Default: none. */
  maxDelayMs?: number
}

export const retryPolicySchema = {
  type: 'object',
  required: ['attempts'],
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, maximum: 100 },
    backoff: { enum: ['fixed', 'exponential'] },
    delayMs: { type: 'integer', minimum: 0 },
    maxDelayMs: { type: 'integer', minimum: 0 },
  },
} as const

/** The wait after failed try number `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const base = policy.delayMs ?? 1000
  const delay = policy.backoff === 'exponential' ? base * 2 ** (attempt - 1) : base
  return Math.min(delay, policy.maxDelayMs ?? Number.POSITIVE_INFINITY)
}

/** Resolves after `ms`, rejects with the abort reason when aborted first. */
export function pause(ms: number, abort: LazyAbort): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cancel = longTimeout(() => {
      stop()
      resolve()
    }, ms)
    const stop = abort.onAbort((reason) => {
      cancel()
      reject(reason)
    })
  })
}
