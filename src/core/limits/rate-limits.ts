/**
 * @module
 * Per-workflow rate limits (`trigger.rateLimit: { limit, windowMs }`), one token bucket per
 * registered workflow, held by the `WebhookTrigger` (so per process and per trigger). Checked
 * after parsing, just before the execution is stored, so forged or malformed deliveries
 * cannot spend a sender's share. Over the limit answers 429 with `Retry-After` (whole seconds).
 */
import type { CompiledWorkflow } from '../../engine/compile-workflow.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { TokenBucket } from './token-bucket.js'

export interface RateLimitConfig {
  /** Deliveries allowed per window (and the largest burst). */
  limit: number
  /** The window in ms. */
  windowMs: number
}

export const rateLimited = (retryAfterSeconds: number): HookflowError =>
  new HookflowError('rate_limited', 'Too many deliveries for this workflow; retry later', {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
  })

export class RateLimits {
  // Keyed by the compiled workflow: registering it again starts a fresh bucket.
  readonly #buckets = new WeakMap<CompiledWorkflow, TokenBucket>()

  /** Throws 429 when the workflow's limit is used up. */
  take(workflow: CompiledWorkflow, now?: number): void {
    const config = (workflow.definition.trigger as { rateLimit?: RateLimitConfig }).rateLimit
    if (!config) return
    // Read only when a limit is set: a workflow without one costs a property lookup.
    now ??= Date.now()
    let bucket = this.#buckets.get(workflow)
    if (!bucket) {
      bucket = new TokenBucket(config.limit, config.windowMs, now)
      this.#buckets.set(workflow, bucket)
    }
    const wait = bucket.take(now)
    if (wait > 0) throw rateLimited(Math.max(1, Math.ceil(wait / 1000)))
  }
}
