/**
 * @module
 * A durable queue on a store's own table: the store holds what waits (`queued` executions, and
 * `started` ones whose claim expired), so nothing is lost with the process. `enqueue` hands the
 * new id to a free worker at once (the row is already committed); a poll every
 * `pollIntervalMs` picks up what no `enqueue` announced: work queued before `start`, by another
 * process, or left by a crashed worker whose claim expired.
 *
 * ```ts
 * const queue = createPollingQueue(store.executions, { concurrency: 4 })
 * const engine = createEngine({ store, queue })
 * ```
 *
 * The handler claims each id atomically itself, so an id handed twice (by two processes) runs
 * once; this queue still never hands an id that is running here. Given the worker's identity
 * (`start(handler, worker)`) and a store with `executions.claimNext`, a poll finds and claims its
 * work in one statement instead, and hands each record over claimed (`Delivery.claimed`).
 */
import type { ExecutionRecord } from '../engine/execution.js'
import type { ExecutionStore } from '../storage/store.js'
import type { Delivery, EnqueueOptions, Outages, Queue, QueueHandler, QueueWorker } from './queue.js'
import { OutageReport } from './outage-report.js'
import { sleepUntil } from './sleep-until.js'
import { LONGEST_TIMER } from '../engine/long-timeout.js'

/** @inline */
export interface PollingQueueOptions {
  /** Executions run at once by this process. Default 8. */
  concurrency?: number
  /** How often to look for work nobody announced. Default 250 ms. */
  pollIntervalMs?: number
  /**
   * Told when polls or handlers start failing (once per outage); the queue carries on, polling
   * less often (up to every 5 s) until the store answers. Default: the engine's log, or a process warning.
   */
  onError?: (error: Error) => void
}

/** The longest wait between two polls while the store fails. */
const MAX_BACKOFF_MS = 5000

function validInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) throw new TypeError(`${name} must be an integer >= 1, got ${String(value)}`)
  return value
}

/** The polling queue, and a way to make it look for work now (another process said there is some). */
export interface PollingQueue extends Queue {
  /** Polls at once when a worker is free, as a tick would; nothing when none is, or before `start`. */
  poll(): void
}

export function createPollingQueue(store: Pick<ExecutionStore, 'claimable' | 'claimNext'>, options: PollingQueueOptions = {}): PollingQueue {
  const concurrency = validInteger('concurrency', options.concurrency ?? 8)
  const pollIntervalMs = validInteger('pollIntervalMs', options.pollIntervalMs ?? 250)
  const outage = new OutageReport('store', options.onError)
  const report = (error: Error): void => outage.failed(error)
  const running = new Set<string>()
  // Ids handed since the last tick: a poll does not hand them again before the next one, so an
  // id whose handler could not claim it (a failing database) is retried once a tick, not in a
  // tight loop.
  let handed = new Set<string>()
  let handler: QueueHandler | undefined
  // Whom a poll claims as, when the store can find and claim in one statement.
  let claimAs: QueueWorker | undefined
  let timer: ReturnType<typeof setInterval> | undefined
  let polling: Promise<void> | undefined
  let again = false
  // Claimable work may be waiting that no free worker took: poll when one frees up.
  let backlog = true
  // While the store fails: ticks to skip before the next poll, doubling up to MAX_BACKOFF_MS.
  let backoff = 0
  let skip = 0
  let closed = false
  let waiters: Array<() => void> = []
  // Parked executions wake at their due time here; after a restart the poll finds them.
  const alarms = new Set<ReturnType<typeof setTimeout>>()

  const changed = (): void => {
    const woken = waiters
    waiters = []
    for (const wake of woken) wake()
  }
  const nextChange = (): Promise<void> => new Promise((resolve) => waiters.push(resolve))

  const hand = (id: string, delivery?: Delivery): void => {
    running.add(id)
    handed.add(id)
    const run = handler!
    // A handler that throws at once fails like one that rejects.
    new Promise<unknown>((resolve) => resolve(delivery ? run(id, delivery) : run(id)))
      .catch((error: unknown) => report(new Error(`The queue's handler failed for execution ${id}`, { cause: error })))
      .finally(() => {
        running.delete(id)
        if (backlog) wake()
        changed()
      })
  }

  async function poll(): Promise<void> {
    do {
      again = false
      const free = concurrency - running.size
      if (free <= 0) return
      // Running ids may still show as claimable; asking for that many more leaves room for them.
      // (Claimed here, they do not: a running claim's lease is not expired.)
      const limit = claimAs ? free : free + running.size
      let ids: string[] = []
      let claimed: ExecutionRecord[] | undefined
      try {
        if (claimAs) claimed = await store.claimNext!({ ...claimAs, now: Date.now(), limit })
        else ids = await store.claimable({ now: Date.now(), limit })
        backoff = skip = 0
        outage.recovered()
      } catch (error) {
        // Reported once per outage, not on every tick; polled less often until it answers.
        report(new Error('The queue could not look for work', { cause: error }))
        backoff = Math.min(Math.max(backoff * 2, 1), Math.max(Math.floor(MAX_BACKOFF_MS / pollIntervalMs), 1))
        skip = backoff
        return
      }
      if (claimed) {
        // Claimed for this worker: each is handed, even while closing (close waits for it), or
        // it would wait for its lease. One running here already (its lease ran out before its
        // heartbeat) goes on in its own run, which the claim just renewed.
        for (const record of claimed) if (!running.has(record.id)) hand(record.id, { claimed: record })
        backlog = claimed.length === limit
        continue
      }
      const waiting = ids.filter((id) => !running.has(id) && !handed.has(id))
      for (const id of waiting.slice(0, concurrency - running.size)) if (!closed) hand(id)
      // A full page may hide more: then each run that finishes looks again. (Read after handing,
      // running.size had grown, and a page that exactly filled the free workers left the rest
      // of a backlog to the next tick: 8 runs per poll interval.)
      backlog = waiting.length > free || ids.length === limit
    } while (again && !closed)
  }

  function wake(): void {
    if (closed || !handler) return
    if (polling) {
      again = true
      return
    }
    // After the turn's other I/O callbacks: the runs that finish together free their workers
    // first, and one poll fills them all instead of one poll per freed worker.
    polling = new Promise<void>((resolve) => setImmediate(resolve))
      .then(poll)
      .finally(() => {
        polling = undefined
        changed()
      })
  }

  return {
    start(next: QueueHandler, worker?: QueueWorker): void {
      if (closed) throw new Error('The queue is closed')
      if (handler) return
      handler = next
      if (worker && typeof store.claimNext === 'function') claimAs = { owner: worker.owner, leaseMs: worker.leaseMs }
      timer = setInterval(() => {
        if (skip > 0) return void skip--
        handed = new Set()
        backlog = true
        wake()
      }, Math.min(pollIntervalMs, LONGEST_TIMER))
      // A server keeps the process alive; the poller alone should not.
      timer.unref?.()
      wake()
    },

    async enqueue(executionId: string, enqueueOptions: EnqueueOptions = {}): Promise<void> {
      if (closed) throw new Error('The queue is closed')
      // Not started: a receiver-only process. The row is committed; a worker polling the same
      // store takes it.
      if (!handler) return
      const delayMs = enqueueOptions.delayMs ?? 0
      if (delayMs > 0) {
        // Woken only once due: the poll would not see it claimable a few ms early.
        sleepUntil(Date.now() + delayMs, alarms, () => {
          handed.delete(executionId)
          backlog = true
          wake()
        })
        return
      }
      if (running.has(executionId)) return
      // Claiming by polls: this one is found and claimed by the next (with whatever else is
      // waiting). Handing it to be claimed by id meanwhile could race that poll: the poll
      // would claim it, and the handler's own claim then find it taken, leaving it to its lease.
      if (claimAs) {
        backlog = true
        return wake()
      }
      if (running.size < concurrency) hand(executionId)
      else backlog = true
    },

    async idle(): Promise<void> {
      if (!handler) return
      for (;;) {
        if (running.size === 0 && !polling) {
          if (closed) return
          const [oldest] = await store.claimable({ now: Date.now(), limit: 1 })
          if (oldest === undefined && running.size === 0 && !polling) return
          // Handed this tick and back already (its handler could not claim it): the next tick retries.
          if (oldest !== undefined && !handed.has(oldest)) {
            backlog = true
            wake()
          }
        }
        await nextChange()
      }
    },

    poll(): void {
      backlog = true
      if (running.size < concurrency) wake()
    },

    reportOutages(outages: Outages): void {
      outage.attach(outages)
    },

    async close(): Promise<void> {
      closed = true
      clearInterval(timer)
      for (const alarm of alarms) clearTimeout(alarm)
      alarms.clear()
      while (running.size > 0 || polling) await nextChange()
      changed()
    },
  }
}
