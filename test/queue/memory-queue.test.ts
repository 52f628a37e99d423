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
