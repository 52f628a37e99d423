import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ExecutionRecord } from '../../src/index.js'
import type { Delivery } from '../../src/queue/queue.js'
import { createPollingQueue } from '../../src/queue/polling-queue.js'

// The poller's own rules, against a store that is only a list of claimable ids. Timers are
// fake, so "the next tick" is a step of the test, not a wait.
const TICK = 100

/** Lets the queue go on: its polls start after the turn's I/O callbacks (`setImmediate`, not faked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
  await new Promise((resolve) => setImmediate(resolve))
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/** A record as a store's `claimNext` would give it. */
function record(id: string): ExecutionRecord {
  return {
    id, workflowKey: 'orders', eventKey: null, sync: false, status: 'started', reason: null,
    context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
    createdAt: 1, startedAt: 2, finishedAt: null, attempts: 1, jobs: [],
  }
}

describe('the polling queue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands an id its handler left claimable again only at the next tick, not in a loop', async () => {
    const claimable = ['stuck']
    const calls: string[] = []
    const queue = createPollingQueue({ claimable: async () => [...claimable] }, { pollIntervalMs: TICK })
    queue.start(async (id) => void calls.push(id))
    // idle() keeps looking while something is claimable; it must not hand 'stuck' round and round.
    const idle = queue.idle()
    await settle()
    expect(calls).toEqual(['stuck'])
    await vi.advanceTimersByTimeAsync(TICK)
    await settle()
    expect(calls).toEqual(['stuck', 'stuck'])
    await queue.close()
    await idle
  })

  it('drains a backlog larger than its concurrency as runs finish, without waiting for ticks', async () => {
    // A store of 20 queued ids: claiming removes one, as a real claim makes it not claimable.
    const queued = Array.from({ length: 20 }, (_, i) => `e${i}`)
    const done: string[] = []
    const queue = createPollingQueue(
      { claimable: async ({ limit }) => queued.filter((id) => !done.includes(id) && !running.has(id)).slice(0, limit) },
      { concurrency: 2, pollIntervalMs: TICK },
    )
    const running = new Set<string>()
    queue.start(async (id) => {
      running.add(id)
      await Promise.resolve()
      running.delete(id)
      done.push(id)
    })
    for (let i = 0; i < 200 && done.length < 20; i++) await settle()
    // No tick has passed: every run after the first two was started by a finished one.
    expect(done).toHaveLength(20)
    await queue.close()
  })

  it('finds and claims in one call when the store can and the worker said whom to claim as', async () => {
    const queued = Array.from({ length: 7 }, (_, i) => `e${i}`)
    const asked: Array<{ owner: string; leaseMs: number; limit: number }> = []
    const store = {
      claimable: async () => expect.fail('a queue that can claim in one step does not list first'),
      claimNext: async ({ owner, leaseMs, limit }: { owner: string; leaseMs: number; now: number; limit: number }) => {
        asked.push({ owner, leaseMs, limit })
        return queued.splice(0, limit).map(record)
      },
    }
    const queue = createPollingQueue(store, { concurrency: 3, pollIntervalMs: TICK })
    const deliveries: Array<[string, Delivery | undefined]> = []
    queue.start(async (id, delivery) => void deliveries.push([id, delivery]), { owner: 'worker-a', leaseMs: 5000 })
    for (let i = 0; i < 20 && deliveries.length < 7; i++) await settle()
    expect(deliveries.map(([id]) => id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6'])
    for (const [id, delivery] of deliveries) expect(delivery?.claimed).toEqual(record(id))
    expect(asked[0]).toEqual({ owner: 'worker-a', leaseMs: 5000, limit: 3 })
    await queue.close()
  })

  it('polls once for the workers that free up together, not once per worker', async () => {
    const queued = Array.from({ length: 12 }, (_, i) => `e${i}`)
    const limits: number[] = []
    const store = {
      claimable: async () => [],
      claimNext: async ({ limit }: { limit: number }) => {
        limits.push(limit)
        return queued.splice(0, limit).map(record)
      },
    }
    const queue = createPollingQueue(store, { concurrency: 4, pollIntervalMs: TICK })
    let finished = 0
    queue.start(async () => void finished++, { owner: 'worker-a', leaseMs: 5000 })
    for (let i = 0; i < 20 && finished < 12; i++) await settle()
    expect(finished).toBe(12)
    // Four runs end in one turn: the next poll asks for four, not for one four times.
    expect(limits.slice(0, 3)).toEqual([4, 4, 4])
    await queue.close()
  })

  it('lists and leaves the claim to the handler when started without a worker', async () => {
    const queued = ['e0', 'e1']
    const store = {
      claimable: async () => queued.splice(0),
      claimNext: async () => expect.fail('no worker was named to claim as'),
    }
    const queue = createPollingQueue(store, { pollIntervalMs: TICK })
    const deliveries: Array<[string, Delivery | undefined]> = []
    queue.start(async (id, delivery) => void deliveries.push([id, delivery]))
    for (let i = 0; i < 5 && deliveries.length < 2; i++) await settle()
    expect(deliveries).toEqual([['e0', undefined], ['e1', undefined]])
    await queue.close()
  })

  it('reports a failing poll once per outage', async () => {
    let failing = true
    const errors: Error[] = []
    const queue = createPollingQueue(
      { claimable: async () => (failing ? Promise.reject(new Error('disk gone')) : []) },
      { pollIntervalMs: TICK, onError: (error) => errors.push(error) },
    )
    queue.start(async () => undefined)
    await vi.advanceTimersByTimeAsync(TICK * 3)
    expect(errors).toHaveLength(1)
    expect((errors[0]!.cause as Error).message).toBe('disk gone')
    failing = false
    // It polls less often while the store fails: at most every 5 s.
    await vi.advanceTimersByTimeAsync(5000)
    failing = true
    await vi.advanceTimersByTimeAsync(TICK)
    expect(errors).toHaveLength(2)
    await queue.close()
  })

  it('polls a failing store less and less often, up to every 5 s, and at once again after it answers', async () => {
    let failing = true
    let polls = 0
    const queue = createPollingQueue(
      { claimable: async () => (polls++, failing ? Promise.reject(new Error('disk gone')) : []) },
      { pollIntervalMs: 100, onError: () => undefined },
    )
    queue.start(async () => undefined)
    await vi.advanceTimersByTimeAsync(10_000)
    // Every tick would be 100 polls; backing off (0.2, 0.4, 0.8, 1.6, 3.2, then 5 s) makes 7 or so.
    expect(polls).toBeGreaterThanOrEqual(5)
    expect(polls).toBeLessThanOrEqual(9)
    failing = false
    await vi.advanceTimersByTimeAsync(5000)
    const recovered = polls
    await vi.advanceTimersByTimeAsync(1000)
    expect(polls - recovered).toBeGreaterThanOrEqual(9)
    await queue.close()
  })

  it('reports a handler that throws, with the execution id', async () => {
    const errors: Error[] = []
    const queue = createPollingQueue({ claimable: async () => [] }, { onError: (error) => errors.push(error) })
    queue.start(() => {
      throw new Error('sync throw')
    })
    await queue.enqueue('e-1')
    await queue.idle()
    expect(errors.map((error) => error.message)).toEqual(["The queue's handler failed for execution e-1"])
    await queue.close()
  })

  it('resolves idle() at once before it was started', async () => {
    const queue = createPollingQueue({ claimable: async () => ['waiting'] })
    await expect(queue.idle()).resolves.toBeUndefined()
  })

  it('refuses a concurrency or poll interval below 1', () => {
    const store = { claimable: async () => [] }
    expect(() => createPollingQueue(store, { concurrency: 0 })).toThrow(TypeError)
    expect(() => createPollingQueue(store, { pollIntervalMs: 0.5 })).toThrow(TypeError)
  })
})
