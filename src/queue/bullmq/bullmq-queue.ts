/**
 * `createBullmqQueue`: the `Queue` on BullMQ, for receivers and workers on several machines.
 * A job carries an execution id; the store holds the record, and the handler's atomic claim in
 * the store is what makes a run happen once, however often a job is delivered.
 */
import type { Queue as BullQueue, Worker, Job } from 'bullmq'
import { loadPeer } from '../../peers/load-peer.js'
import type { Queue, QueueHandler } from '../queue.js'
import { EnqueuedJobs } from './enqueued-jobs.js'
import { bullmqDelayedJobId, bullmqJobId } from './job-id.js'
import { type BullmqQueueOptions, resolveBullmqQueueOptions } from './options.js'
import { createRecoverySweep } from './recovery-sweep.js'
import { LONGEST_TIMER } from '../../engine/long-timeout.js'

interface JobData {
  executionId: string
}

const JOB_NAME = 'execution'
const SWEEP_LIMIT = 1000
/** How often `idle()` asks Redis about jobs other processes run. */
const IDLE_POLL_MS = 50

export interface BullmqQueue extends Queue {
  /** The BullMQ queue underneath (for dashboards, metrics, `obliterate` in tests). */
  readonly bullQueue: BullQueue
}

export function createBullmqQueue(input: BullmqQueueOptions): BullmqQueue {
  const bullmq = loadPeer<typeof import('bullmq')>('bullmq', 'bullmq@5', 'createBullmqQueue (hookflow/bullmq)')
  const options = resolveBullmqQueueOptions(input)
  const { connection, prefix, queueName, concurrency, onError: report } = options
  const bull = new bullmq.Queue<JobData>(queueName, {
    connection,
    prefix,
    defaultJobOptions: {
      // BullMQ's attempts are for a handler that failed (its database was down); workflow
      // retries are the engine's, which re-enqueues with a delay.
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      // The store keeps the history. A finished job must also go so that the same execution can
      // be enqueued again later (a retry) under the same job id.
      removeOnComplete: true,
      removeOnFail: true,
    },
  })
  bull.on('error', (error) => report(new Error(`BullMQ queue "${queueName}" failed`, { cause: error })))
  const enqueued = new EnqueuedJobs(bull, report)
  /** Executions whose handler runs in this process, with how many deliveries of each. */
  const running = new Map<string, number>()
  // Ids enqueued or handed here in this sweep interval and the one before: in flight, not lost.
  let recent = new Set<string>()
  let previous = new Set<string>()
  let handler: QueueHandler | undefined
  let worker: Worker<JobData> | undefined
  let sweepTimer: ReturnType<typeof setInterval> | undefined
  let firstLook: ReturnType<typeof setTimeout> | undefined
  let sweeping: Promise<void> | undefined
  let sweepFailing = false
  let closed = false
  let waiters: Array<() => void> = []

  const changed = (): void => {
    const woken = waiters
    waiters = []
    for (const wake of woken) wake()
  }
  const nextChange = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      waiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })

  async function runJob(job: Job<JobData>): Promise<void> {
    const id = job.data?.executionId
    if (typeof id !== 'string') {
      report(new Error(`BullMQ job ${String(job.id)} carries no execution id; dropped`))
      return
    }
    recent.add(id)
    running.set(id, (running.get(id) ?? 0) + 1)
    try {
      await handler!(id)
    } finally {
      const left = running.get(id)! - 1
      if (left === 0) running.delete(id)
      else running.set(id, left)
      changed()
    }
  }

  const recovery = createRecoverySweep({
    store: options.store,
    queue: bull,
    limit: SWEEP_LIMIT,
    skip: (id) => running.has(id) || recent.has(id) || previous.has(id),
    enqueue: (ids) => add(ids.map((id) => ({ id, jobId: bullmqJobId(id) }))),
  })

  function sweep(): void {
    if (closed || sweeping) return
    sweeping = recovery
      .sweep()
      .then(() => void (sweepFailing = false))
      .catch((error: unknown) => {
        // Reported once per outage, not on every sweep.
        if (!sweepFailing) report(new Error('The BullMQ queue could not look for lost work', { cause: error }))
        sweepFailing = true
      })
      .finally(() => (sweeping = undefined))
  }

  async function add(jobs: Array<{ id: string; jobId: string; delay?: number }>): Promise<void> {
    // Only a worker sweeps (and rotates these sets); a receiver keeps no such memory.
    if (handler) for (const { id } of jobs) recent.add(id)
    await bull.addBulk(jobs.map(({ id, jobId, delay }) => ({ name: JOB_NAME, data: { executionId: id }, opts: { jobId, ...(delay ? { delay } : {}) } })))
  }

  return {
    bullQueue: bull,

    async start(next: QueueHandler): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      if (handler) return
      handler = next
      worker = new bullmq.Worker<JobData>(queueName, runJob, {
        connection,
        prefix,
        concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.stalledIntervalMs,
        maxStalledCount: options.maxStalledCount,
      })
      worker.on('error', (error) => report(new Error(`BullMQ worker on "${queueName}" failed`, { cause: error })))
      worker.on('failed', (job, error) => {
        const made = job?.attemptsMade ?? 0
        report(new Error(`The handler failed for execution ${String(job?.data?.executionId)} (attempt ${made} of ${options.attempts})`, { cause: error }))
      })
      worker.on('completed', (job) => {
        if (job.id) enqueued.delete(job.id)
        changed()
      })
      sweepTimer = setInterval(() => {
        previous = recent
        recent = new Set()
        sweep()
      }, Math.min(options.sweepIntervalMs, LONGEST_TIMER))
      // A server keeps the process alive; the sweep alone should not.
      sweepTimer.unref?.()
      await worker.waitUntilReady()
      // Work stored before this start is found by two looks (see the recovery sweep), the
      // second one soon rather than a whole interval later.
      sweep()
      firstLook = setTimeout(sweep, Math.min(options.sweepIntervalMs, 1000))
      firstLook.unref?.()
    },

    async enqueue(executionId: string, enqueueOptions?: { delayMs?: number }): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      const delayMs = enqueueOptions?.delayMs ?? 0
      if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new TypeError(`delayMs must be a number >= 0, got ${String(delayMs)}`)
      const delay = Math.ceil(delayMs)
      // An execution that re-enqueues itself from its own running job needs a job of its own:
      // the same id would be folded into the active job and vanish when it completes.
      if (delay > 0 || running.has(executionId)) {
        await add([{ id: executionId, jobId: bullmqDelayedJobId(executionId, Date.now() + delay), delay }])
        return
      }
      const jobId = bullmqJobId(executionId)
      enqueued.add(jobId)
      try {
        await add([{ id: executionId, jobId }])
      } catch (error) {
        enqueued.delete(jobId)
        throw error
      }
    },

    async idle(): Promise<void> {
      // Closed: nothing runs here any more, and what waits is for other workers.
      for (;;) {
        if (closed && running.size === 0) return
        if (running.size === 0) {
          if (enqueued.size > 0) await enqueued.prune()
          if (enqueued.size === 0 && running.size === 0) return
        }
        await nextChange(IDLE_POLL_MS)
      }
    },

    async close(): Promise<void> {
      if (closed) return
      closed = true
      clearInterval(sweepTimer)
      clearTimeout(firstLook)
      await sweeping
      // Worker.close waits for the jobs it runs; both close the connections they created.
      await worker?.close()
      await bull.close()
      changed()
    },
  }
}
