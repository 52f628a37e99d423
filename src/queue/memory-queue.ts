/**
 * @module
 * The default queue: runs async executions in this process with p-queue, at most
 * `concurrency` at a time. Ids enqueued here are lost if the process dies; a durable store
 * with its own queue is what survives a crash.
 *
 * ```ts
 * const engine = createEngine({ queue: createMemoryQueue({ concurrency: 4 }) })
 * ```
 */
import PQueue from 'p-queue'
import type { Queue, QueueHandler } from './queue.js'

export interface MemoryQueueOptions {
  /** Executions run at once. Default 8. */
  concurrency?: number
}

export function createMemoryQueue(options: MemoryQueueOptions = {}): Queue {
  const concurrency = options.concurrency ?? 8
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new TypeError(`concurrency must be an integer >= 1, got ${String(options.concurrency)}`)
  }
  const queue = new PQueue({ concurrency })
  let handler: QueueHandler | undefined
  let closed = false

  return {
    start(next: QueueHandler): void {
      handler = next
    },
    async enqueue(executionId: string): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      const run = handler
      if (!run) throw new Error('The queue has not been started')
      // The handler reports its own failures; the queue only schedules.
      void queue.add(() => run(executionId)).catch(() => undefined)
    },
    idle(): Promise<void> {
      return queue.onIdle()
    },
    async close(): Promise<void> {
      closed = true
      await queue.onIdle()
    },
  }
}
