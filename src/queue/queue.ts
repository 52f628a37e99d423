/**
 * @module
 * The queue interface for async runs. A queue carries execution ids, nothing else: the
 * store holds the records. In-process (p-queue, the default), BullMQ for several machines.
 */

/** Runs one execution to its end; a queue calls it for each id it delivers. */
export type QueueHandler = (executionId: string) => Promise<void>

export interface EnqueueOptions {
  /** Hand the id over no earlier than this many ms from now; 0 or absent = at once. */
  delayMs?: number
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
}
