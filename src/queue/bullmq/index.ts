/**
 * `hookflow/bullmq`: the queue on BullMQ (Redis), for receivers and workers on several
 * machines. Needs the `bullmq` package (an optional peer dependency).
 *
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createSqliteStore } from 'hookflow/sqlite' // or hookflow/postgres, for many machines
 * import { createBullmqQueue } from 'hookflow/bullmq'
 *
 * const store = createSqliteStore({ filename: 'hookflow.db' })
 * const queue = createBullmqQueue({
 *   connection: 'redis://127.0.0.1:6379',
 *   queueName: 'hookflow',
 *   store: store.executions,
 *   concurrency: 8,
 * })
 * const engine = createEngine({ store, queue })
 * await engine.start() // this process works the queue; createEngine({ worker: false }) only feeds it
 * ```
 *
 * @module hookflow/bullmq
 */
export { createBullmqQueue, type BullmqQueue } from './bullmq-queue.js'
export type { BullmqQueueOptions } from './options.js'
export { bullmqJobId, bullmqDelayedJobId } from './job-id.js'
