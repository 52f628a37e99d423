import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { Deadlines } from '../../src/core/deadlines.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Timers fire late on a busy machine, never early: these tests wait for what must happen
// (polling) and check lower bounds on when, never that something has not happened yet at a
// moment a loaded event loop may already have passed.
const POLL = { timeout: 15_000, interval: 5 }

describe('Deadlines', () => {
  it('calls each open deadline once its time is up, in order, and never a cancelled one', async () => {
    const deadlines = new Deadlines(40)
    const fired: string[] = []
    const started = performance.now()
    const times: number[] = []
    deadlines.add(() => (fired.push('a'), times.push(performance.now() - started)))
    deadlines.add(() => fired.push('cancelled')).cancel()
    await sleep(15)
    const second = performance.now() - started
    deadlines.add(() => (fired.push('b'), times.push(performance.now() - started)))
    await expect.poll(() => fired.length, POLL).toBe(2)
    expect(fired).toEqual(['a', 'b'])
    expect(times[0]).toBeGreaterThanOrEqual(39)
    // The second one waited its own 40 ms from when it was added, not the first one's.
    expect(times[1]! - second).toBeGreaterThanOrEqual(39)
    await sleep(60)
    expect(fired).toEqual(['a', 'b'])
  })

  it('still fires an open deadline behind thousands cancelled, and one added after them', async () => {
    const deadlines = new Deadlines(30)
    const fired: number[] = []
    const slow = deadlines.add(() => fired.push(-1))
    for (let i = 0; i < 5000; i++) deadlines.add(() => fired.push(i)).cancel()
    deadlines.add(() => fired.push(5000))
    await expect.poll(() => fired.length, POLL).toBe(2)
    expect(fired).toEqual([-1, 5000])
    slow.cancel() // after it fired: nothing happens
    deadlines.add(() => fired.push(5001))
    await expect.poll(() => fired.length, POLL).toBe(3)
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

  it('keeps the process alive only while a deadline is open', async () => {
    // A cancelled ten-minute deadline must not hold the process; an open short one must, until
    // it fires. A held process is killed after a minute: the exit code tells, not the time.
    const script = `
      import { Deadlines } from ${JSON.stringify(new URL('../../src/core/deadlines.ts', import.meta.url).pathname)}
      const deadlines = new Deadlines(600_000)
      deadlines.add(() => console.log('fired')).cancel()
      const open = new Deadlines(100)
      open.add(() => console.log('open fired'))
    `
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(killer)
        resolve({ code, stdout: stdout.trim(), stderr })
      })
    })
    expect(run).toEqual({ code: 0, stdout: 'open fired', stderr: '' })
  }, 90_000)
})
