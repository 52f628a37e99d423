import { afterEach, expect, it, vi } from 'vitest'
import { sleepUntil } from '../../src/queue/sleep-until.js'

const DAY = 86_400_000

afterEach(() => void vi.useRealTimers())

it('sleeps past the longest Node timer in long steps, not in 1 ms ones, and wakes when due', () => {
  vi.useFakeTimers()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let woke = false
  sleepUntil(Date.now() + 40 * DAY, timers, () => (woke = true))
  const [first] = timers
  vi.advanceTimersByTime(1000)
  // Still the same timer: a delay Node cannot hold would have fired and slept again every millisecond.
  expect([...timers]).toEqual([first])
  expect(woke).toBe(false)
  vi.advanceTimersByTime(40 * DAY)
  expect(woke).toBe(true)
  expect(timers.size).toBe(0)
})
