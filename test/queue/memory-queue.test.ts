import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryQueue } from '../../src/index.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('memory queue, delayed ids', () => {
  it('hands a delayed id only once Date.now() has reached its due time, even when the timer fires early', async () => {
    const queue = createMemoryQueue()
    const handed: number[] = []
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    queue.start(async () => {
      handed.push(Date.now())
      done()
    })
    const real = Date.now.bind(Date)
    const due = real() + 40
    await queue.enqueue('parked', { delayMs: 40 })
    // The wall clock now runs 30 ms behind the timers' clock: the first timer fires while
    // Date.now() says only about 10 ms have passed.
    vi.spyOn(Date, 'now').mockImplementation(() => real() - 30)
    await finished
    expect(handed).toHaveLength(1)
    expect(handed[0]!).toBeGreaterThanOrEqual(due)
    await queue.close()
  })
})

describe('memory queue workers', () => {
  it('runs a backlog once each, in order of arrival, never more than its concurrency at once', async () => {
    const queue = createMemoryQueue({ concurrency: 3 })
    const started: string[] = []
    let running = 0
    let most = 0
    queue.start(async (id) => {
      started.push(id)
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setImmediate(resolve))
      running--
      if (id === 'fail-7') throw new Error('a handler failure does not stop its worker')
    })
    const ids = Array.from({ length: 3_000 }, (_, i) => (i === 7 ? 'fail-7' : `id-${i}`))
    for (const id of ids) await queue.enqueue(id)
    await queue.idle()
    expect(started).toEqual(ids)
    expect(most).toBe(3)
    // After draining, more work starts workers again.
    await queue.enqueue('late')
    await queue.idle()
    expect(started.at(-1)).toBe('late')
    await queue.close()
  })

  it('goes on running ids for a caller that never yields to the event loop', async () => {
    const queue = createMemoryQueue({ concurrency: 2 })
    const done: string[] = []
    queue.start(async (id) => {
      await Promise.resolve()
      done.push(id)
    })
    const microtasks = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await Promise.resolve()
    }
    // Only microtasks from here on: no timer, no immediate, no I/O gets a turn.
    for (let i = 0; i < 20; i++) {
      await queue.enqueue(`id-${i}`)
      await microtasks(10)
      expect(done).toContain(`id-${i}`)
    }
    await queue.close()
  })

  it('ends an idle worker at close without waiting for the event loop', async () => {
    const queue = createMemoryQueue()
    let ran = false
    queue.start(async () => {
      ran = true
    })
    // Set before the worker starts to linger, so it comes first in the next turn.
    let turned = false
    setImmediate(() => (turned = true))
    await queue.enqueue('one')
    for (let i = 0; i < 10 && !ran; i++) await Promise.resolve()
    expect(ran).toBe(true)
    // The worker now lingers for a turn of the event loop; close ends it before that turn.
    await queue.close()
    expect(turned).toBe(false)
  })
})
