/**
 * @module
 * A store or queue failed before a delivery was accepted: answered as 503 with
 * `Retry-After`, so the sender retries; the original failure is the `cause`.
 */
import { HookflowError } from '../errors/hookflow-error.js'

/**
 * The store or queue failed before a delivery was accepted: answered 503 with `Retry-After`, the failure as `cause`.
 *
 * @example
 * ```ts
 * import { createEngine, HookflowError } from 'hookflow'
 *
 * try {
 *   await createEngine().trigger('orders', { body: {} })
 * } catch (error) {
 *   // `is` is HookflowError's (realm-safe); the code tells this error apart.
 *   if (HookflowError.is(error) && error.code === 'storage_unavailable') console.error('retry later:', error.cause)
 * }
 * ```
 */
export class StorageUnavailableError extends HookflowError {
  /** What failed: the store (the database) or the queue (Redis, say). */
  readonly source: 'store' | 'queue'

  constructor(message: string, cause: unknown, source: 'store' | 'queue' = 'store') {
    super('storage_unavailable', message, { status: 503, cause, headers: { 'retry-after': '5' } })
    this.name = 'StorageUnavailableError'
    this.source = source
  }
}
