/**
 * `createBullmqQueue`: the `Queue` on BullMQ, for receivers and workers on several machines.
 * A job carries an execution id; the store holds the record, and the handler's atomic claim in
 * the store is what makes a run happen once, however often a job is delivered.
 */
import type { Queue as BullQueue, Worker, Job } from 'bullmq'
import { loadPeer } from '../../peers/load-peer.js'
import type { EnqueueOptions, Outages, Queue, QueueHandler } from '../queue.js'
import { OutageReport } from '../outage-report.js'
import { EnqueuedJobs } from './enqueued-jobs.js'
import { bullmqDelayedJobId, bullmqJobId } from './job-id.js'
import { type BullmqQueueOptions, type ResolvedBullmqQueueOptions, resolveBullmqQueueOptions } from './options.js'
import { createRecoverySweep } from './recovery-sweep.js'
import { TurnBatch } from '../turn-batch.js'
import { LONGEST_TIMER } from '../../engine/long-timeout.js'

interface JobData {
  executionId: string
}

const JOB_NAME = 'execution'
const SWEEP_LIMIT = 1000
/** How often `idle()` asks Redis about jobs other processes run. */
const IDLE_POLL_MS = 50
/** While Redis fails: how often it is asked whether it answers again (a read). */
const PROBE_MS = 1000

/**
 * The BullMQ queue: a `Queue`, and the BullMQ queue underneath.
 *
 * @example
 * ```ts
 * import { createBullmqQueue, type BullmqQueue } from 'hookflow/bullmq'
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const store = createSqliteStore({ filename: 'hookflow.db' })
 * const queue: BullmqQueue = createBullmqQueue({ connection: 'redis://127.0.0.1:6379', queueName: 'hookflow', store: store.executions })
 * console.log(await queue.bullQueue.getJobCounts())
 * ```
 */
export interface BullmqQueue extends Queue {
  /** The BullMQ queue underneath (for dashboards, metrics, `obliterate` in tests). */
  readonly bullQueue: BullQueue
}

/**
 * Creates a queue on BullMQ (Redis) for receivers and workers on several machines; needs the optional peer `bullmq`.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 * import { createBullmqQueue } from 'hookflow/bullmq'
 * import { createPostgresStore } from 'hookflow/postgres'
 *
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' })
 * const queue = createBullmqQueue({ connection: 'redis://127.0.0.1:6379', queueName: 'hookflow', store: store.executions })
 * const engine = createEngine({ store, queue })
 * await engine.start()
 * ```
 */
export function createBullmqQueue(input: BullmqQueueOptions): BullmqQueue {
  const bullmq = loadPeer<typeof import('bullmq')>('bullmq', 'bullmq@5', 'createBullmqQueue (hookflow/bullmq)')
  const options = resolveBullmqQueueOptions(input)
  const { connection, prefix, queueName, concurrency } = options
  // Redis itself (the connections, enqueues, the sweep's look at jobs), and the handlers (the
  // store under them): each reported once per outage.
  const redis = new OutageReport('queue', input.onError)
  const handlers = new OutageReport('store', input.onError)
  const report = (error: Error): void => redis.failed(error)
  const bull = new bullmq.Queue<JobData>(queueName, {
    // The receiver's path: with Redis away, an enqueue fails at once (503) instead of waiting
    // in ioredis's offline queue. (An ioredis client you pass keeps its own settings.)
    connection: producerConnection(connection),
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
  bull.on('error', (error) => {
    report(new Error(`BullMQ queue "${queueName}" failed`, { cause: error }))
    probe()
  })
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
  let probing: ReturnType<typeof setTimeout> | undefined
  let closed = false
  let waiters: Array<() => void> = []

  /** While Redis fails, asks it every second whether it answers again; then reports the recovery. */
  function probe(): void {
    if (probing || closed) return
    probing = setTimeout(() => {
      const ping = bull.client.then((client) => client.get(bull.toKey('probe')))
      void withTimeout(ping, PROBE_MS, 'a probe').then(
        () => {
          probing = undefined
          redis.recovered()
        },
        () => {
          probing = undefined
          probe()
        },
      )
    }, PROBE_MS)
    probing.unref?.()
  }

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

  async function runJob(job: Job<JobData>, token?: string): Promise<void> {
    const id = job.data?.executionId
    if (typeof id !== 'string') {
      report(new Error(`BullMQ job ${String(job.id)} carries no execution id; dropped`))
      return
    }
    recent.add(id)
    running.set(id, (running.get(id) ?? 0) + 1)
    let again: Awaited<ReturnType<QueueHandler>>
    try {
      // A rejection (the store failed under the run) fails the job: BullMQ's attempts apply.
      again = await handler!(id, { redeliverHeld: true })
    } finally {
      const left = running.get(id)! - 1
      if (left === 0) running.delete(id)
      else running.set(id, left)
      changed()
    }
    if (again && token) {
      // Another worker holds the execution (a stalled job come back early), or it is not due:
      // delivered again later, not dropped, and not counted as a failed attempt.
      await job.moveToDelayed(Math.max(again.retryAt, Date.now() + 1), token)
      throw new bullmq.DelayedError()
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
      .then(() => redis.recovered())
      // Reported once per outage, not on every sweep.
      .catch((error: unknown) => report(new Error('The BullMQ queue could not look for lost work', { cause: error })))
      .finally(() => (sweeping = undefined))
  }

  // The jobs added in one turn (the deliveries that arrived together) go to Redis in one
  // `addBulk`: one round trip, and all of them or none (each caller then answers 503).
  const adds = new TurnBatch<{ id: string; jobId: string; delay?: number }>((jobs) =>
    bull.addBulk(jobs.map(({ id, jobId, delay }) => ({ name: JOB_NAME, data: { executionId: id }, opts: { jobId, ...(delay ? { delay } : {}) } }))),
  )

  function add(jobs: Array<{ id: string; jobId: string; delay?: number }>): Promise<void> {
    // Only a worker sweeps (and rotates these sets); a receiver keeps no such memory.
    if (handler) for (const { id } of jobs) recent.add(id)
    return adds.add(jobs)
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
      worker.on('error', (error) => {
        report(new Error(`BullMQ worker on "${queueName}" failed`, { cause: error }))
        probe()
      })
      worker.on('failed', (job, error) => {
        if (error instanceof bullmq.DelayedError || error?.name === 'DelayedError') return
        const made = job?.attemptsMade ?? 0
        handlers.failed(new Error(`The handler failed for execution ${String(job?.data?.executionId)} (attempt ${made} of ${options.attempts})`, { cause: error }))
      })
      worker.on('completed', (job) => {
        if (job.id) enqueued.delete(job.id)
        handlers.recovered()
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

    async enqueue(executionId: string, enqueueOptions?: EnqueueOptions): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      const delayMs = enqueueOptions?.delayMs ?? 0
      if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new TypeError(`delayMs must be a number >= 0, got ${String(delayMs)}`)
      const delay = Math.ceil(delayMs)
      // An execution that re-enqueues itself from its own running job needs a job of its own:
      // the same id would be folded into the active job and vanish when it completes. So does
      // one taken over from a dead worker, whose job stays active until BullMQ finds it stalled.
      if (delay > 0 || running.has(executionId) || enqueueOptions?.fresh) {
        await bounded(add([{ id: executionId, jobId: bullmqDelayedJobId(executionId, Date.now() + delay), delay }]))
        return
      }
      const jobId = bullmqJobId(executionId)
      enqueued.add(jobId)
      try {
        await bounded(add([{ id: executionId, jobId }]))
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

    reportOutages(outages: Outages): void {
      redis.attach(outages)
      handlers.attach(outages)
    },

    async close(): Promise<void> {
      if (closed) return
      closed = true
      clearInterval(sweepTimer)
      clearTimeout(firstLook)
      clearTimeout(probing)
      // The handlers running here finish first (the contract: close waits for what runs now;
      // the engine bounds its own wait). Then Worker.close and Queue.close close the connections
      // they created; a Redis gone silent never answers QUIT: after a grace, they are cut.
      while (running.size > 0) await nextChange(IDLE_POLL_MS)
      const graceful = (async () => {
        await sweeping
        await worker?.close()
        await bull.close()
      })()
      if (!(await settlesWithin(graceful, CLOSE_GRACE_MS))) await cutConnections([bull, worker])
      changed()
    },
  }

  /** An enqueue that Redis does not answer in time fails (the delivery gets 503), never hangs. */
  function bounded(adding: Promise<void>): Promise<void> {
    return withTimeout(adding, options.enqueueTimeoutMs, 'the enqueue').then(
      () => redis.recovered(),
      (error: unknown) => {
        report(new Error(`BullMQ queue "${queueName}" could not take a job`, { cause: error }))
        probe()
        throw error
      },
    )
  }
}

/** How long `close()` waits for Redis to answer before cutting the connections. */
const CLOSE_GRACE_MS = 1500

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const inTime = await Promise.race([promise.then(() => true, () => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))])
  clearTimeout(timer)
  return inTime
}

interface Cuttable {
  disconnect(reconnect?: boolean): void
  stream?: { destroy(): void }
}

/** Destroys the sockets of the Queue's and the Worker's connections (the Worker's blocking one too). */
async function cutConnections(parts: Array<BullQueue | Worker | undefined>): Promise<void> {
  const clients: Array<Promise<unknown>> = []
  for (const part of parts) {
    if (!part) continue
    clients.push(part.client)
    const blocking = (part as unknown as { blockingConnection?: { client?: Promise<unknown> } }).blockingConnection
    if (blocking?.client) clients.push(blocking.client)
  }
  for (const client of clients) {
    client.catch(() => undefined)
    // A connection never made has no client to cut: it is not waited for.
    const made = await Promise.race([client, new Promise((resolve) => setTimeout(resolve, 50))])
    const cuttable = made as Cuttable | undefined
    cuttable?.disconnect?.()
    cuttable?.stream?.destroy()
  }
}

/** Connection options for the producer (the Queue): no offline queue, unless it is your client. */
function producerConnection(connection: ResolvedBullmqQueueOptions['connection']): ResolvedBullmqQueueOptions['connection'] {
  if (typeof (connection as { duplicate?: unknown }).duplicate === 'function') return connection
  return { ...(connection as object), enableOfflineQueue: false } as ResolvedBullmqQueueOptions['connection']
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${ms} ms`)), ms)
  })
  promise.catch(() => undefined)
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
