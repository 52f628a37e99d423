/**
 * @module
 * The queue interface for async runs. A queue carries execution ids, nothing else: the
 * store holds the records. In-process (p-queue, the default), BullMQ for several machines.
 */

/**
 * Runs one execution to its end; a queue calls it for each id it delivers. It rejects when the
 * store failed under it (the execution is left to be resumed): a queue with its own retries
 * (BullMQ's `attempts`) counts that as a failed attempt.
 */
export type QueueHandler = (executionId: string, delivery?: Delivery) => Promise<void | Redelivery>

export interface Delivery {
  /**
   * Set by a queue that delivers an id again only when told (BullMQ): when another worker holds
   * the execution, or it is not due yet, the handler then resolves with when to deliver it again.
   * A queue that finds claimable work by itself (polling the store) leaves it unset.
   */
  redeliverHeld?: boolean
}

/** Deliver the id again no earlier than `retryAt` (epoch ms): another worker holds it now. */
export interface Redelivery {
  retryAt: number
}

export interface EnqueueOptions {
  /** Hand the id over no earlier than this many ms from now; 0 or absent = at once. */
  delayMs?: number
  /**
   * The id may still have a job in the queue that nobody will finish (its worker died and its
   * claim was released): deliver it anew instead of folding it into that job.
   */
  fresh?: boolean
}

/** Where a store or queue tells of an outage: each failure, and that it works again. */
export interface OutageReporter {
  failed(error: Error): void
  recovered(): void
}

/** The engine's reporters, one per side: the engine's log writes one line per outage and side. */
export interface Outages {
  store: OutageReporter
  queue: OutageReporter
}

export interface Queue {
  /**
   * Called once by a worker engine before its first `enqueue`. A receiver-only engine
   * (`worker: false`) never calls it: a queue other processes read accepts `enqueue` without it.
   */
  start(handler: QueueHandler): void | Promise<void>
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
