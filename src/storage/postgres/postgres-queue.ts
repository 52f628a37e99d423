/**
 * @module
 * The Postgres store's own durable queue: the polling queue on `claimable` (work stored by any
 * process is found by a poll, and whenever a worker frees up), plus LISTEN/NOTIFY so that work
 * this process cannot start at once reaches an idle worker elsewhere without waiting for a poll.
 *
 * A process sends `NOTIFY` only when it stored work it cannot start itself (all its workers
 * busy), and at most one at a time: deliveries stored while one is in flight are announced by
 * the next, so a busy receiver sends one per round trip, not one per delivery. A notification
 * says "there is work" (`wake:` and the sender's token); every other listening process with a
 * free worker polls, and the claim (an `UPDATE` with `SKIP LOCKED`) lets exactly one of them run
 * each execution. The sender ignores its own: its workers poll as they free up. A payload
 * without `wake:` is an execution id from an older hookflow, handed to a free worker as before.
 * The listening connection is an extra: when it fails, it is reported and made again, and
 * polling carries on meanwhile.
 */
import { randomUUID } from 'node:crypto'
import type { Pool, PoolClient } from 'pg'
import type { Outages, Queue, QueueHandler, QueueWorker } from '../../queue/queue.js'
import { OutageReport } from '../../queue/outage-report.js'
import { createPollingQueue, type PollingQueueOptions } from '../../queue/polling-queue.js'
import type { ExecutionStore } from '../store.js'
import type { Database } from './database.js'

/**
 * What the Postgres store's queue takes: concurrency, polling, LISTEN/NOTIFY wake-ups and failure reporting.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from 'hookflow/postgres'
 *
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' })
 * const queue = store.createQueue({ concurrency: 16, notify: true })
 * ```
 */
export interface PostgresQueueOptions extends PollingQueueOptions {
  /**
   * Wake idle workers of other processes through LISTEN/NOTIFY. Holds one connection of the
   * pool while the queue runs. Default true.
   */
  notify?: boolean
}

type Enqueue = (executionId: string, options?: { delayMs?: number }) => Promise<void>

export function createPostgresQueue(db: Database, pool: Pool, executions: Pick<ExecutionStore, 'claimable' | 'claimNext'>, options: PostgresQueueOptions = {}): Queue {
  const inner = createPollingQueue(executions, options)
  const concurrency = options.concurrency ?? 8
  const notify = options.notify ?? true
  // How soon a lost LISTEN connection is made again: 1 s, doubling up to 10 s while it fails.
  let retryMs = 1000
  const outage = new OutageReport('store', options.onError)
  const report = (error: Error): void => outage.failed(error)
  const channel = db.names.channel
  let active = 0
  let started = false
  let closed = false
  let listener: PoolClient | undefined
  let connecting: Promise<void> | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  // A broken connection can fail twice (its error event, then the query in flight).
  const dropped = new WeakSet<PoolClient>()
  const notifying = new Set<Promise<unknown>>()
  const wakeUp = `wake:${randomUUID()}`
  // A NOTIFY is in flight; `again`: work was stored meanwhile, announce it when that one is done.
  let signalling = false
  let signalAgain = false

  const onNotification = (message: { channel: string; payload?: string }): void => {
    if (message.channel !== channel || !message.payload || closed || message.payload === wakeUp) return
    if (active >= concurrency) return
    // Another process stored work it could not start: look for it here.
    if (message.payload.startsWith('wake:')) inner.poll()
    else inner.enqueue(message.payload).catch(() => undefined)
  }

  function signal(): void {
    if (signalling) return void (signalAgain = true)
    signalling = true
    const sent = db.query('SELECT pg_notify($1, $2)', [channel, wakeUp])
      .catch((error: unknown) => report(new Error('The Postgres queue could not notify other processes', { cause: error })))
      .finally(() => {
        notifying.delete(sent)
        signalling = false
        if (signalAgain && !closed) {
          signalAgain = false
          signal()
        }
      })
    notifying.add(sent)
  }

  async function listen(): Promise<void> {
    if (closed || listener) return
    let client: PoolClient | undefined
    try {
      await db.ready()
      client = await pool.connect()
      client.on('notification', onNotification)
      client.on('error', (error) => drop(client!, error))
      await client.query(`LISTEN "${channel}"`)
      // Closed meanwhile: a connection still listening must not go back to the pool.
      if (closed) return void client.removeListener('notification', onNotification).release(true)
      listener = client
      retryMs = 1000
      outage.recovered()
    } catch (error) {
      if (client) drop(client, error)
      else again(error)
    }
  }

  function drop(client: PoolClient, error: unknown): void {
    if (dropped.has(client)) return
    dropped.add(client)
    if (listener === client) listener = undefined
    client.removeListener('notification', onNotification)
    client.release(true)
    again(error)
  }

  function again(error: unknown): void {
    if (closed) return
    // Reported once per outage, not on every attempt.
    report(new Error('The Postgres queue has no LISTEN connection; it polls meanwhile and connects again', { cause: error }))
    clearTimeout(retry)
    retry = setTimeout(() => void (connecting = listen()), retryMs)
    retry.unref?.()
    retryMs = Math.min(retryMs * 2, 10_000)
  }

  return {
    /** Resolves once the queue listens (or, the database failing, once that was reported). */
    async start(handler: QueueHandler, worker?: QueueWorker): Promise<void> {
      started = true
      inner.start(async (id, delivery) => {
        active++
        try {
          return await handler(id, delivery)
        } finally {
          active--
        }
      }, worker)
      if (notify) await (connecting ??= listen())
    },

    async enqueue(...[executionId, enqueueOptions]: Parameters<Enqueue>): Promise<void> {
      // Never started: a receiver-only process (`worker: false`), whose work is all for others.
      const busy = !started || active >= concurrency
      await (inner.enqueue as Enqueue)(executionId, enqueueOptions)
      // Due now and no worker free here: tell the others. The row is committed already, so the
      // delivery's answer does not wait for this, and a lost notification only costs a poll.
      if (notify && busy && !(enqueueOptions?.delayMs && enqueueOptions.delayMs > 0)) signal()
    },

    idle: () => inner.idle(),

    reportOutages(outages: Outages): void {
      outage.attach(outages)
      inner.reportOutages?.(outages)
    },

    async close(): Promise<void> {
      closed = true
      clearTimeout(retry)
      // A server gone silent must not hold the close: a second each, then the connection is dropped.
      await within(Promise.all([connecting, ...notifying]), 1000)
      const client = listener
      listener = undefined
      if (client) {
        client.removeListener('notification', onNotification)
        const unlisten = client.query(`UNLISTEN "${channel}"`)
        if (await within(unlisten, 1000, true)) client.release()
        else client.release(true)
      }
      await inner.close()
    },
  }
}

/** True when `promise` resolved within `ms` (or, unless `strict`, settled either way). */
async function within(promise: Promise<unknown>, ms: number, strict = false): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const settled = promise.then(() => true, () => !strict)
  const inTime = await Promise.race([settled, timeout])
  clearTimeout(timer)
  return inTime
}
