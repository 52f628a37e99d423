/**
 * @module
 * The default queue: runs async executions in this process with p-queue, at most
 * `concurrency` at a time. Ids enqueued here are lost if the process dies; a durable store
 * with its own queue is what survives a crash. p-queue runs up to `concurrency` workers, each
 * taking waiting ids in order until none is left for a turn of the event loop: a p-queue task
 * per id (its promises and events) cost more than the rest of queueing one.
 *
 * ```ts
 * const engine = createEngine({ queue: createMemoryQueue({ concurrency: 4 }) })
 * ```
 */
import PQueue from 'p-queue'
import type { EnqueueOptions, Queue, QueueHandler } from './queue.js'
import { sleepUntil } from './sleep-until.js'

/**
 * How many executions the in-process queue runs at once.
 *
 * @example
 * ```ts
 * import { createMemoryQueue } from 'hookflow'
 *
 * const queue = createMemoryQueue({ concurrency: 2 })
 * ```
 */
export interface MemoryQueueOptions {
  /** Executions run at once. Default 8. */
  concurrency?: number
}

/**
 * The default queue for the memory store: runs async executions in this process, `concurrency` at a time.
 *
 * @example
 * ```ts
 * import { createEngine, createMemoryQueue } from 'hookflow'
 *
 * const engine = createEngine({ queue: createMemoryQueue({ concurrency: 16 }) })
 * ```
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): Queue {
  const concurrency = options.concurrency ?? 8
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new TypeError(`concurrency must be an integer >= 1, got ${String(options.concurrency)}`)
  }
  const queue = new PQueue({ concurrency })
  let handler: QueueHandler | undefined
  let closed = false
  // Parked executions (a delay, a retry): each wakes on its own timer, lost with the process
  // like everything this queue holds; a durable store's queue is what survives a restart.
  const sleeping = new Set<ReturnType<typeof setTimeout>>()
  // Ids waiting for a worker, oldest at `head`.
  let waiting: string[] = []
  let head = 0
  let workers = 0
  // Workers out of work wait one turn of the event loop before they end, and a new id wakes
  // one: a busy server's deliveries reuse them instead of a new p-queue task (its promises and
  // events) each, and a caller that never yields to the event loop still sees its runs go on.
  const lingering: Array<() => void> = []
  const linger = (): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearImmediate(immediate)
        const at = lingering.indexOf(wake)
        if (at >= 0) lingering.splice(at, 1)
        resolve()
      }
      const immediate = setImmediate(wake)
      lingering.push(wake)
    })

  const work = async (run: QueueHandler): Promise<void> => {
    try {
      do {
        while (head < waiting.length) {
          const id = waiting[head++]!
          if (head > 1024 && head * 2 > waiting.length) {
            waiting = waiting.slice(head)
            head = 0
          }
          try {
            await run(id)
          } catch {
            // The handler reports its own failures; the queue only schedules.
          }
        }
        waiting = []
        head = 0
        if (!closed) await linger()
      } while (head < waiting.length)
    } finally {
      workers--
    }
  }

  return {
    start(next: QueueHandler): void {
      handler = next
    },
    async enqueue(executionId: string, options: EnqueueOptions = {}): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      const run = handler
      if (!run) throw new Error('The queue has not been started')
      const add = (): void => {
        waiting.push(executionId)
        const idle = lingering.pop()
        if (idle) return idle()
        if (workers >= concurrency) return
        workers++
        void queue.add(() => work(run))
      }
      const delayMs = options.delayMs ?? 0
      if (!(delayMs > 0)) return add()
      sleepUntil(Date.now() + delayMs, sleeping, () => {
        if (!closed) add()
      })
    },
    idle(): Promise<void> {
      return queue.onIdle()
    },
    async close(): Promise<void> {
      closed = true
      for (const wake of lingering.splice(0)) wake()
      for (const timer of sleeping) clearTimeout(timer)
      sleeping.clear()
      await queue.onIdle()
    },
  }
}
