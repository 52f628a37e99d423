import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPollingQueue } from '../../src/queue/polling-queue.js'

// The poller's own rules, against a store that is only a list of claimable ids. Timers are
// fake, so "the next tick" is a step of the test, not a wait.
const TICK = 100

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
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
