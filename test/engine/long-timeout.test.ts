import { afterEach, describe, expect, it, vi } from 'vitest'
import { LONGEST_TIMER, longTimeout } from '../../src/engine/long-timeout.js'
import { createEngine, defineNode } from '../../src/index.js'

const DAY = 86_400_000

describe('longTimeout', () => {
  afterEach(() => void vi.useRealTimers())

  it('fires once after a short delay, and never once cancelled', () => {
    vi.useFakeTimers()
    const fired: string[] = []
    longTimeout(() => fired.push('short'), 50)
    const cancel = longTimeout(() => fired.push('cancelled'), 50)
    cancel()
    vi.advanceTimersByTime(49)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(fired).toEqual(['short'])
    vi.advanceTimersByTime(1000)
    expect(fired).toEqual(['short'])
  })

  it('waits out a delay past the longest Node timer (which alone would fire after 1 ms)', () => {
    vi.useFakeTimers()
    let fired = 0
    longTimeout(() => fired++, 40 * DAY)
    vi.advanceTimersByTime(5)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(LONGEST_TIMER)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(40 * DAY - LONGEST_TIMER - 10)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(10)
    expect(fired).toBe(1)
  })

  it('can be cancelled in any step of a long wait', () => {
    vi.useFakeTimers()
    let fired = 0
    const cancel = longTimeout(() => fired++, 60 * DAY)
    vi.advanceTimersByTime(30 * DAY)
    cancel()
    vi.advanceTimersByTime(60 * DAY)
    expect(fired).toBe(0)
  })
})

describe('durations past the longest Node timer in workflows', () => {
  it('a workflow timeout of 40 days does not abort a run at once', async () => {
    const slow = defineNode({ type: 'test.slow', run: () => new Promise((resolve) => setTimeout(() => resolve('done'), 30)) })
    const engine = createEngine({ nodeTypes: [slow] })
    engine.register({ key: 'w', sync: true, trigger: { type: 'webhook', id: 'w' }, options: { timeout: 40 * DAY }, nodes: [{ key: 's', type: 'test.slow' }] })
    const execution = await engine.trigger('w', {})
    await engine.idle()
    expect((await engine.getExecution(execution.id))?.status).toBe('resolved')
    await engine.close()
  })

  it('a node retry backoff of 40 days waits instead of trying again at once', async () => {
    let calls = 0
    const flaky = defineNode({
      type: 'test.flaky',
      run: () => {
        calls++
        throw new Error('not yet')
      },
    })
    const engine = createEngine({ nodeTypes: [flaky] })
    engine.register({ key: 'r', trigger: { type: 'webhook', id: 'r' }, nodes: [{ key: 'f', type: 'test.flaky', retry: { attempts: 2, delayMs: 40 * DAY } }] })
    const execution = await engine.trigger('r', {})
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(calls).toBe(1)
    expect((await engine.getExecution(execution.id))?.status).toBe('started')
    await engine.cancel(execution.id)
    await engine.idle()
    expect((await engine.getExecution(execution.id))?.status).toBe('aborted')
    await engine.close()
  })
})

describe('intervals from options past the longest Node timer', () => {
  afterEach(() => void vi.restoreAllMocks())

  it('are set no longer than it (a longer one would repeat every millisecond)', async () => {
    const intervals = vi.spyOn(globalThis, 'setInterval')
    const slow = defineNode({ type: 'test.slow', run: () => new Promise((resolve) => setTimeout(() => resolve('done'), 10)) })
    const engine = createEngine({ nodeTypes: [slow], leaseMs: 30 * DAY * 3, retention: { maxCount: 10, intervalMs: 40 * DAY } })
    engine.register({ key: 'w', sync: true, trigger: { type: 'webhook', id: 'w' }, nodes: [{ key: 's', type: 'test.slow' }] })
    await engine.trigger('w', {})
    await engine.idle()
    await engine.close()
    const delays = intervals.mock.calls.map((call) => call[1] ?? 0)
    // The retention sweep and the claim heartbeat both ran.
    expect(delays.length).toBeGreaterThanOrEqual(2)
    expect(delays.every((delay) => delay <= LONGEST_TIMER)).toBe(true)
  })
})
