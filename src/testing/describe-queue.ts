/**
 * @module
 * `describeQueue(name, create)`: the conformance suite every queue adapter runs. A queue carries
 * ids of executions a store holds, so `create` gives both; the suite stores a queued execution
 * before each `enqueue` and its handler works as the engine's does: claim, run, finish.
 * Durable queues (`{ durable: true }`) also show that they run what no `enqueue` of theirs
 * announced: work stored before `start`, by another process, or left by a crashed worker.
 *
 * ```ts
 * import { describeQueue } from 'hookflow/testing'
 * describeQueue('bullmq', ({ concurrency }) => ({ queue: createBullQueue({ concurrency }), store: createPostgresStore(url) }), { durable: true })
 * ```
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Queue } from '../queue/queue.js'
import type { NewExecution, Store } from '../storage/store.js'

/**
 * A queue to test and the store its executions live in.
 *
 * @example
 * ```ts
 * import { createMemoryQueue, createMemoryStore } from 'hookflow'
 * import type { QueueUnderTest } from 'hookflow/testing'
 *
 * const underTest: QueueUnderTest = { queue: createMemoryQueue(), store: createMemoryStore() }
 * ```
 */
export interface QueueUnderTest {
  /** The queue to test. */
  queue: Queue
  /** The store the queue's executions live in. */
  store: Store
}

/**
 * What `describeQueue` also checks: `durable` queues find claimable executions in the store by themselves.
 *
 * @example
 * ```ts
 * import type { DescribeQueueOptions } from 'hookflow/testing'
 *
 * const options: DescribeQueueOptions = { durable: true }
 * ```
 */
export interface DescribeQueueOptions {
  /** The queue finds claimable executions in the store by itself (after a restart, a crash). */
  durable?: boolean
}

/**
 * The settings `describeQueue` asks a queue to be made with.
 *
 * @example
 * ```ts
 * import type { CreateQueue } from 'hookflow/testing'
 * import { createSqliteStore } from 'hookflow/sqlite'
 *
 * const create: CreateQueue = ({ concurrency, pollIntervalMs }) => {
 *   const store = createSqliteStore({ filename: ':memory:' })
 *   return { store, queue: store.createQueue({ concurrency, pollIntervalMs }) }
 * }
 * ```
 */
export interface CreateQueueOptions {
  /** Executions run at once. */
  concurrency: number
  /** For queues that poll: how often (the suite keeps it short). */
  pollIntervalMs: number
}

/**
 * Makes a fresh queue, and its store, with the settings the suite gives.
 *
 * @example
 * ```ts
 * import { createMemoryQueue, createMemoryStore } from 'hookflow'
 * import type { CreateQueue } from 'hookflow/testing'
 *
 * const create: CreateQueue = ({ concurrency }) => ({ queue: createMemoryQueue({ concurrency }), store: createMemoryStore() })
 * ```
 */
export type CreateQueue = (options: CreateQueueOptions) => QueueUnderTest | Promise<QueueUnderTest>

const LEASE_MS = 60_000
// How long a poll waits for what should happen soon: only a failure takes it, on a busy machine too.
const POLL = { timeout: 10_000 }

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

/** Settles with true if `promise` settles within 15 s: room for a busy machine and a queue that closes over the network. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  return settlesWithin(promise, 15_000)
}

/**
 * True while `promise` is still pending after 3 s. A queue that does not wait for its running
 * handlers settles idle() or close() within a few turns of the event loop, or one network close
 * (BullMQ's grace is 1.5 s); the held handler keeps a queue that waits pending for the whole
 * test. Waiting longer would only slow the suite: a busy machine can make this check miss a
 * queue that does not wait, never fail one that does.
 */
async function staysPending(promise: Promise<unknown>): Promise<boolean> {
  return !(await settlesWithin(promise, 3_000))
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const settled = promise.then(() => true, () => true)
  try {
    return await Promise.race([settled, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A vitest suite that holds a queue adapter to the contract the engine relies on.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from 'hookflow/sqlite'
 * import { describeQueue } from 'hookflow/testing'
 *
 * describeQueue('sqlite', ({ concurrency, pollIntervalMs }) => {
 *   const store = createSqliteStore({ filename: ':memory:' })
 *   return { store, queue: store.createQueue({ concurrency, pollIntervalMs }) }
 * }, { durable: true })
 * ```
 */
export function describeQueue(name: string, create: CreateQueue, options: DescribeQueueOptions = {}): void {
  describe(`${name} queue conformance`, () => {
    let current: QueueUnderTest | undefined
    afterEach(async () => {
      await current?.queue.close()
      await current?.store.close?.()
      current = undefined
    })

    /** A started queue whose handler claims, waits for `hold`, and finishes each execution. */
    async function setup(concurrency = 4) {
      current = await create({ concurrency, pollIntervalMs: 20 })
      const { queue, store } = current
      const calls: string[] = []
      const calledAt = new Map<string, number>()
      const finished: string[] = []
      const stats = { active: 0, most: 0 }
      let hold: Promise<void> | undefined
      let fail: ((id: string) => boolean) | undefined
      const handler = async (id: string): Promise<void> => {
        calls.push(id)
        if (!calledAt.has(id)) calledAt.set(id, Date.now())
        stats.active++
        stats.most = Math.max(stats.most, stats.active)
        try {
          const claimed = await store.executions.claim(id, { owner: 'suite', leaseMs: LEASE_MS, now: Date.now() })
          if (!claimed) return
          if (fail?.(id)) throw new Error(`handler failed for ${id}`)
          await hold
          await store.executions.update(id, { status: 'resolved', finishedAt: Date.now() })
          finished.push(id)
        } finally {
          stats.active--
        }
      }
      const stored = async (overrides: Partial<NewExecution> = {}): Promise<string> => {
        const id = randomUUID()
        await store.executions.create({
          id, workflowKey: 'queued', eventKey: null, sync: false, status: 'queued', reason: null,
          context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
          createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0, ...overrides,
        })
        return id
      }
      /**
       * A queued execution parked until `wakeAt` (contract A). Stored with it: stored without
       * and parked after, the started queue's poll could hand it over in between.
       */
      const parked = async (wakeAt: number): Promise<string> => stored({ wakeAt })
      const enqueued = async (): Promise<string> => {
        const id = await stored()
        await queue.enqueue(id)
        return id
      }
      return {
        queue, store, calls, calledAt, finished, stats, stored, parked, enqueued, handler,
        holdWith: (promise: Promise<void>) => void (hold = promise),
        failWhen: (predicate: (id: string) => boolean) => void (fail = predicate),
        start: () => queue.start(handler),
      }
    }

    it('hands every enqueued execution to the handler once, and idle() waits for all', async () => {
      const t = await setup(4)
      await t.start()
      const ids = await Promise.all(Array.from({ length: 60 }, () => t.enqueued()))
      await t.queue.idle()
      expect([...t.finished].sort()).toEqual([...ids].sort())
      expect(t.calls).toHaveLength(60)
    })

    it('runs at most `concurrency` handlers at once, and uses them all', async () => {
      const t = await setup(3)
      const held = gate()
      t.holdWith(held.promise)
      await t.start()
      for (let i = 0; i < 10; i++) await t.enqueued()
      await expect.poll(() => t.stats.active, POLL).toBe(3)
      held.open()
      await t.queue.idle()
      expect(t.stats.most).toBe(3)
      expect(t.finished).toHaveLength(10)
    })

    it('resolves idle() only once the running handlers are done', async () => {
      const t = await setup()
      const held = gate()
      t.holdWith(held.promise)
      await t.start()
      await t.enqueued()
      await expect.poll(() => t.stats.active, POLL).toBe(1)
      const idle = t.queue.idle()
      expect(await staysPending(idle)).toBe(true)
      held.open()
      await idle
      expect(t.finished).toHaveLength(1)
    })

    it('resolves idle() at once when nothing waits', async () => {
      const t = await setup()
      await t.start()
      expect(await settlesSoon(t.queue.idle())).toBe(true)
    })

    it('waits in close() for the running handlers, then refuses work', async () => {
      const t = await setup()
      const held = gate()
      t.holdWith(held.promise)
      await t.start()
      await t.enqueued()
      await expect.poll(() => t.stats.active, POLL).toBe(1)
      const closed = t.queue.close()
      expect(await staysPending(closed)).toBe(true)
      held.open()
      await closed
      expect(t.finished).toHaveLength(1)
      await expect(t.queue.enqueue(await t.stored())).rejects.toThrow()
    })

    it('carries on after a handler throws', async () => {
      const t = await setup(1)
      const bad = await t.stored()
      t.failWhen((id) => id === bad)
      await t.start()
      await t.queue.enqueue(bad)
      const good = await t.enqueued()
      await expect.poll(() => t.finished, POLL).toContain(good)
    })

    describe('delayed delivery (parked executions)', () => {
      it('hands an id enqueued with delayMs no earlier than that, and runs it', async () => {
        const t = await setup()
        await t.start()
        const enqueuedAt = Date.now()
        const id = await t.parked(enqueuedAt + 150)
        await t.queue.enqueue(id, { delayMs: 150 })
        await expect.poll(() => t.finished, { timeout: 10_000 }).toEqual([id])
        expect(t.calledAt.get(id)).toBeGreaterThanOrEqual(enqueuedAt + 150)
      })

      it('resolves idle() while an execution still sleeps', async () => {
        const t = await setup()
        await t.start()
        const id = await t.parked(Date.now() + 60_000)
        await t.queue.enqueue(id, { delayMs: 60_000 })
        expect(await settlesSoon(t.queue.idle())).toBe(true)
        expect(t.calls).toEqual([])
      })

      it('closes without waiting for sleeping executions', async () => {
        const t = await setup()
        await t.start()
        const id = await t.parked(Date.now() + 60_000)
        await t.queue.enqueue(id, { delayMs: 60_000 })
        expect(await settlesSoon(t.queue.close())).toBe(true)
        expect(t.calls).toEqual([])
      })
    })

    // Skipped, with the reason in its name, for a queue declared not durable (memory).
    describe.runIf(options.durable)(options.durable ? 'durable' : 'durable (skipped: this queue is declared not durable)', () => {
      it('runs a parked execution left by an earlier process once it is due, not before', async () => {
        const t = await setup()
        const wakeAt = Date.now() + 200
        const id = await t.parked(wakeAt)
        await t.start()
        await expect.poll(() => t.finished, { timeout: 10_000 }).toEqual([id])
        expect(t.calledAt.get(id)).toBeGreaterThanOrEqual(wakeAt)
      })

      it('runs executions stored before it started', async () => {
        const t = await setup()
        const ids = [await t.stored(), await t.stored()]
        await t.start()
        await expect.poll(() => [...t.finished].sort(), POLL).toEqual([...ids].sort())
      })

      it('takes over an execution whose worker died once its claim expired', async () => {
        const t = await setup()
        const id = await t.stored()
        await t.store.executions.claim(id, { owner: 'crashed-worker', leaseMs: 1000, now: Date.now() - 10_000 })
        await t.start()
        await expect.poll(() => t.finished, POLL).toEqual([id])
        expect((await t.store.executions.get(id))?.attempts).toBe(2)
      })

      it('finds work another process stored without telling it', async () => {
        const t = await setup()
        await t.start()
        const id = await t.stored()
        await expect.poll(() => t.finished, POLL).toEqual([id])
        await t.queue.idle()
      })
    })
  })
}
