/**
 * The store is the truth, BullMQ the delivery. A sweep now and then looks in the store for
 * executions a worker may claim (`queued` and due, or `started` with an expired claim) that
 * Redis holds no job for, and enqueues them: work stored before the first worker started, a
 * job whose handler found the execution still claimed by a dead worker (BullMQ's lock can
 * expire before the store's claim does), a job that failed for good while the database was
 * down, or a Redis that lost its data.
 *
 * An execution is enqueued only when two sweeps in a row find it claimable without a job: a
 * receiver stores an execution a moment before it enqueues it, and a sweep in between must
 * not deliver it a second time.
 */
import type { Queue as BullQueue } from 'bullmq'
import type { ExecutionStore } from '../../storage/store.js'
import { bullmqJobId } from './job-id.js'

export interface RecoverySweepOptions {
  store: Pick<ExecutionStore, 'claimable'>
  queue: BullQueue
  /** Ids at most per sweep. */
  limit: number
  /** Ids this process handed or enqueued lately: its own jobs are in flight, not lost. */
  skip: (executionId: string) => boolean
  /** Enqueues the ids found without a job. */
  enqueue: (executionIds: string[]) => Promise<void>
}

export interface RecoverySweep {
  /** One look; resolves with the ids it enqueued. */
  sweep(): Promise<string[]>
}

export function createRecoverySweep(options: RecoverySweepOptions): RecoverySweep {
  const { store, queue } = options
  // Found without a job by the previous sweep.
  let suspects = new Set<string>()
  return {
    async sweep(): Promise<string[]> {
      const ids = (await store.claimable({ now: Date.now(), limit: options.limit })).filter((id) => !options.skip(id))
      let missing: string[] = []
      if (ids.length > 0) {
        const client = await queue.client
        // ioredis pipelines these concurrent reads into one round trip.
        const names = await Promise.all(ids.map((id) => client.hget(queue.toKey(bullmqJobId(id)), 'name')))
        missing = ids.filter((_, i) => names[i] === null)
      }
      const lost = missing.filter((id) => suspects.has(id))
      suspects = new Set(missing.filter((id) => !suspects.has(id)))
      if (lost.length > 0) await options.enqueue(lost)
      return lost
    },
  }
}
