/**
 * @module
 * The queue interface for async runs. A queue carries execution ids, nothing else: the store
 * holds the records (a queue that polls the store may hand over a record it claimed for the
 * worker). In-process (p-queue, the default), BullMQ for several machines.
 */
import type { ExecutionRecord } from '../engine/execution.js'

/**
 * Runs one execution to its end; a queue calls it for each id it delivers. It rejects when the
 * store failed under it (the execution is left to be resumed): a queue with its own retries
 * (BullMQ's `attempts`) counts that as a failed attempt.
 *
 * @example
 * ```ts
 * import type { QueueHandler } from 'hookflow'
 *
 * const handler: QueueHandler = async (executionId) => {
 *   console.log('running', executionId)
 * }
 * ```
 */
export type QueueHandler = (executionId: string, delivery?: Delivery) => Promise<void | Redelivery>

/**
 * What a queue tells its handler about one delivery of an id.
 *
 * @example
 * ```ts
 * import type { Delivery } from 'hookflow'
 *
 * const fromBullmq: Delivery = { redeliverHeld: true }
 * ```
 */
export interface Delivery {
  /**
   * Set by a queue that delivers an id again only when told (BullMQ): when another worker holds
   * the execution, or it is not due yet, the handler then resolves with when to deliver it again.
   * A queue that finds claimable work by itself (polling the store) leaves it unset.
   */
  redeliverHeld?: boolean
  /**
   * Set by a queue that claimed the execution for this worker already (it polls the store with
   * `executions.claimNext`, as the owner `start` named): the record as claimed, to be run
   * without claiming it again.
   */
  claimed?: ExecutionRecord
}

/**
 * Who the engine's worker claims executions as, given to `queue.start`: a queue that polls the
 * store may claim what it finds in the same round trip, as this owner with this lease.
 *
 * @example
 * ```ts
 * import type { QueueWorker } from 'hookflow'
 *
 * const worker: QueueWorker = { owner: 'worker-1', leaseMs: 30_000 }
 * ```
 */
export interface QueueWorker {
  /** The claims' owner (the engine's worker id). */
  owner: string
  /** How long each claim holds before another worker may take it over. */
  leaseMs: number
}

/**
 * Deliver the id again no earlier than `retryAt` (epoch ms): another worker holds it now.
 *
 * @example
 * ```ts
 * import type { Redelivery } from 'hookflow'
 *
 * const later: Redelivery = { retryAt: Date.now() + 1_000 }
 * ```
 */
export interface Redelivery {
  /** The earliest time to deliver the id again (epoch ms). */
  retryAt: number
}

/**
 * When a queue hands an id over, and whether to deliver it anew.
 *
 * @example
 * ```ts
 * import { createMemoryQueue, type EnqueueOptions } from 'hookflow'
 *
 * const inAMinute: EnqueueOptions = { delayMs: 60_000 }
 * await createMemoryQueue().enqueue('ex-1', inAMinute)
 * ```
 */
export interface EnqueueOptions {
  /** Hand the id over no earlier than this many ms from now; 0 or absent = at once. */
  delayMs?: number
  /**
   * The id may still have a job in the queue that nobody will finish (its worker died and its
   * claim was released): deliver it anew instead of folding it into that job.
   */
  fresh?: boolean
}

/**
 * Where a store or queue tells of an outage: each failure, and that it works again.
 *
 * @example
 * ```ts
 * import type { OutageReporter } from 'hookflow'
 *
 * const reporter: OutageReporter = {
 *   failed: (error) => console.error('store down', error.message),
 *   recovered: () => console.info('store back'),
 * }
 * ```
 */
export interface OutageReporter {
  /** Reports a failure; the first of an outage is logged. */
  failed(error: Error): void
  /** Reports that the store or queue works again, ending the outage. */
  recovered(): void
}

/**
 * The engine's reporters, one per side: the engine's log writes one line per outage and side.
 *
 * @example
 * ```ts
 * import type { Outages } from 'hookflow'
 *
 * const log = (side: string) => ({ failed: (error: Error) => console.error(side, error), recovered: () => console.info(side, 'back') })
 * const outages: Outages = { store: log('store'), queue: log('queue') }
 * ```
 */
export interface Outages {
  /** Reports the store's outages. */
  store: OutageReporter
  /** Reports the queue's outages. */
  queue: OutageReporter
}

/**
 * What carries async execution ids to workers; `createMemoryQueue`, a durable store's queue and `createBullmqQueue` make one.
 *
 * @example
 * ```ts
 * import { createEngine, createMemoryQueue, type Queue } from 'hookflow'
 *
 * const queue: Queue = createMemoryQueue({ concurrency: 4 })
 * const engine = createEngine({ queue })
 * ```
 */
export interface Queue {
  /**
   * Called once by a worker engine before its first `enqueue`. A receiver-only engine
   * (`worker: false`) never calls it: a queue other processes read accepts `enqueue` without it.
   * `worker` says whom to claim as, for a queue that claims what it finds (see `Delivery.claimed`);
   * other queues ignore it.
   */
  start(handler: QueueHandler, worker?: QueueWorker): void | Promise<void>
  /**
   * Resolves once the id is accepted (durably, for queues that can be). With `delayMs`, the id
   * is handed to the handler no earlier than that from now (a parked execution).
   */
  enqueue(executionId: string, options?: EnqueueOptions): Promise<void>
  /** Resolves when nothing this process enqueued is waiting or running; executions still sleeping (`delayMs`) are not waited for. */
  idle(): Promise<void>
  /** Stops taking work and waits for what runs now. */
  close(): Promise<void>
  /**
   * Called once by the engine with its reporters: failures and recoveries go to its log (one
   * line per outage), besides any `onError` the queue was given.
   */
  reportOutages?(outages: Outages): void
}
