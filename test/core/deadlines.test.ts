import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { Deadlines } from '../../src/core/deadlines.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Deadlines', () => {
  it('calls each open deadline once its time is up, in order, and never a cancelled one', async () => {
    const deadlines = new Deadlines(40)
    const fired: string[] = []
    const started = performance.now()
    const times: number[] = []
    deadlines.add(() => (fired.push('a'), times.push(performance.now() - started)))
    deadlines.add(() => fired.push('cancelled')).cancel()
    await sleep(15)
    deadlines.add(() => (fired.push('b'), times.push(performance.now() - started)))
    await sleep(10)
    expect(fired).toEqual([])
    await sleep(60)
    expect(fired).toEqual(['a', 'b'])
    expect(times[0]).toBeGreaterThanOrEqual(39)
    // The second one waited its own 40 ms, not the first one's.
    expect(times[1]).toBeGreaterThanOrEqual(54)
  })

  it('still fires an open deadline behind thousands cancelled, and one added after them', async () => {
    const deadlines = new Deadlines(30)
    const fired: number[] = []
    const slow = deadlines.add(() => fired.push(-1))
    for (let i = 0; i < 5000; i++) deadlines.add(() => fired.push(i)).cancel()
    deadlines.add(() => fired.push(5000))
    await sleep(80)
    expect(fired).toEqual([-1, 5000])
    slow.cancel() // after it fired: nothing happens
    deadlines.add(() => fired.push(5001))
    await sleep(60)
    expect(fired).toEqual([-1, 5000, 5001])
  })

  it('waits out a deadline longer than the longest Node timer instead of firing at once', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const deadlines = new Deadlines(40 * 86_400_000)
      let fired = false
      const deadline = deadlines.add(() => (fired = true))
      await sleep(30)
      expect(fired).toBe(false)
      deadline.cancel()
      expect(warnings.filter((warning) => warning.name === 'TimeoutOverflowWarning')).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('keeps the process alive only while a deadline is open', () => {
    const script = `
      import { Deadlines } from ${JSON.stringify(new URL('../../src/core/deadlines.ts', import.meta.url).pathname)}
      const deadlines = new Deadlines(5000)
      deadlines.add(() => console.log('fired')).cancel()
      const open = new Deadlines(100)
      open.add(() => console.log('open fired'))
    `
    const started = Date.now()
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('open fired')
    // The cancelled 5 s deadline did not hold the exit.
    expect(Date.now() - started).toBeLessThan(4000)
  })
})
