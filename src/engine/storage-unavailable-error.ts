/**
 * @module
 * A store or queue failed before a delivery was accepted: answered as 503 with
 * `Retry-After`, so the sender retries; the original failure is the `cause`.
 */
import { HookflowError } from '../errors/hookflow-error.js'

export class StorageUnavailableError extends HookflowError {
  /** What failed: the store (the database) or the queue (Redis, say). */
  readonly source: 'store' | 'queue'

  constructor(message: string, cause: unknown, source: 'store' | 'queue' = 'store') {
    super('storage_unavailable', message, { status: 503, cause, headers: { 'retry-after': '5' } })
    this.name = 'StorageUnavailableError'
    this.source = source
  }
}
