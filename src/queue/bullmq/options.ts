/**
 * What `createBullmqQueue` takes, with its defaults and the checks that turn a bad value into a
 * clear error at construction rather than a surprise under load.
 */
import type { ConnectionOptions } from 'bullmq'
import type { ExecutionStore } from '../../storage/store.js'

/**
 * What `createBullmqQueue` takes: the Redis connection, the queue name, the executions store, and worker settings.
 *
 * @example
 * ```ts
 * import type { BullmqQueueOptions } from 'hookflow/bullmq'
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const options: BullmqQueueOptions = {
 *   connection: 'redis://127.0.0.1:6379',
 *   queueName: 'hookflow',
 *   store: createSqliteStore({ filename: 'hookflow.db' }).executions,
 *   concurrency: 8,
 * }
 * ```
 */
export interface BullmqQueueOptions {
  /** A `redis://` / `rediss://` URL, ioredis options, or an ioredis client (then never closed by the queue). */
  connection: ConnectionOptions | string
  /** The BullMQ queue name; every process of one deployment uses the same. No `:`. */
  queueName: string
  /** The Redis key prefix. Default `'bull'` (BullMQ's own default). */
  prefix?: string
  /**
   * Where the executions live (`store.executions`): a sweep enqueues the claimable ones no job
   * carries, so nothing the store accepted is stranded by a crash, a lost job or a flushed Redis.
   */
  store: Pick<ExecutionStore, 'claimable'>
  /** Executions run at once by this process's worker. Default 8. */
  concurrency?: number
  /** Tries per job when the handler itself fails (an unreachable database). Default 5. */
  attempts?: number
  /** The first wait before such a retry, doubled each time. Default 1,000 ms. */
  backoffMs?: number
  /** BullMQ's job lock: a worker that stops renewing it (killed) loses its jobs after this. Default 30,000 ms. */
  lockDurationMs?: number
  /** How often BullMQ looks for jobs whose lock expired and puts them back. Default 30,000 ms. */
  stalledIntervalMs?: number
  /** How often a job may come back from a dead worker before BullMQ fails it (the sweep still recovers it). Default 3. */
  maxStalledCount?: number
  /** How often the store is swept for claimable executions no job carries. Default 5,000 ms. */
  sweepIntervalMs?: number
  /**
   * The longest an enqueue waits for Redis; then it fails, and a receiver answers the delivery
   * 503 with `Retry-After`. Default 5,000 ms.
   */
  enqueueTimeoutMs?: number
  /**
   * Told when jobs, sweeps or connections start failing (once per outage); the queue carries
   * on. Default: the engine's log, or a process warning.
   */
  onError?: (error: Error) => void
}

export type ResolvedBullmqQueueOptions = Required<Omit<BullmqQueueOptions, 'connection' | 'onError'>> & { connection: ConnectionOptions }

function integer(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) throw new TypeError(`${name} must be an integer >= ${min}, got ${String(value)}`)
  return value
}

export function resolveBullmqQueueOptions(options: BullmqQueueOptions): ResolvedBullmqQueueOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('createBullmqQueue needs options: { connection, queueName, store }')
  const { queueName, prefix = 'bull', store, connection } = options
  if (typeof queueName !== 'string' || queueName === '' || queueName.includes(':')) {
    throw new TypeError(`queueName must be a non-empty string without ":", got ${JSON.stringify(queueName)}`)
  }
  if (typeof prefix !== 'string' || prefix === '') throw new TypeError('prefix must be a non-empty string')
  if (!store || typeof store.claimable !== 'function') {
    throw new TypeError('store must be the store\'s executions (store.executions), so that lost work can be recovered')
  }
  if (connection === undefined || connection === null || connection === '') throw new TypeError('connection is required: a Redis URL, ioredis options or client')
  return {
    connection: typeof connection === 'string' ? { url: connection } : connection,
    queueName,
    prefix,
    store,
    concurrency: integer('concurrency', options.concurrency ?? 8, 1),
    attempts: integer('attempts', options.attempts ?? 5, 1),
    backoffMs: integer('backoffMs', options.backoffMs ?? 1000, 0),
    lockDurationMs: integer('lockDurationMs', options.lockDurationMs ?? 30_000, 1),
    stalledIntervalMs: integer('stalledIntervalMs', options.stalledIntervalMs ?? 30_000, 1),
    maxStalledCount: integer('maxStalledCount', options.maxStalledCount ?? 3, 0),
    sweepIntervalMs: integer('sweepIntervalMs', options.sweepIntervalMs ?? 5_000, 1),
    enqueueTimeoutMs: integer('enqueueTimeoutMs', options.enqueueTimeoutMs ?? 5_000, 1),
  }
}
