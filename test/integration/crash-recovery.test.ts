import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExecutionRecord } from '../../src/index.js'

// Real child processes on a real SQLite file, killed with SIGKILL at known points, then
// restarted on the same file: every acknowledged delivery runs to completion exactly once,
// and no node that finished before the crash runs again.

const SERVER = new URL('./crash/crash-server.ts', import.meta.url).pathname
const RUNS = 2

interface Server {
  child: ChildProcess
  url: string
}

let dir: string | undefined
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

function files(): { DB: string; LOG: string; HOLD: string } {
  dir = mkdtempSync(join(tmpdir(), 'hookflow-crash-'))
  return { DB: join(dir, 'hookflow.db'), LOG: join(dir, 'runs.log'), HOLD: join(dir, 'hold') }
}

async function start(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`crash server exited before listening (code ${code}, signal ${signal})`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line)
      if (match) resolve(match[1]!)
    })
  })
  return { child, url: `http://127.0.0.1:${port}` }
}

async function kill(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.kill('SIGKILL')
  await exited
}

function deliver(server: Server, delivery: string): Promise<Response> {
  return fetch(`${server.url}/api/webhook:trigger/crash`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-delivery': delivery },
    body: JSON.stringify({ delivery }),
  })
}

async function executions(server: Server): Promise<ExecutionRecord[]> {
  return (await (await fetch(`${server.url}/__executions`)).json()) as ExecutionRecord[]
}

/** Until the run sits in the `hold` node, which the server marks: the jobs before it are saved. */
async function holding(env: { HOLD: string }): Promise<void> {
  await expect.poll(() => existsSync(`${env.HOLD}.reached`), { timeout: 60_000, interval: 10 }).toBe(true)
}

/** Waits until every stored execution is final; returns them. Only a failure takes the minute. */
async function settled(server: Server, expected: number): Promise<ExecutionRecord[]> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const all = await executions(server)
    if (all.length >= expected && all.every((e) => ['resolved', 'failed', 'error', 'aborted'].includes(e.status))) return all
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(all.map((e) => e.status))}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function runsOf(log: string): Map<string, string[]> {
  const runs = new Map<string, string[]>()
  if (!existsSync(log)) return runs
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const [id = '', key = ''] = line.split(' ')
    runs.set(id, [...(runs.get(id) ?? []), key])
  }
  return runs
}

// Each case starts several Node processes: minutes on a busy machine, only to detect a failure.
describe('crash recovery on the SQLite store', { timeout: 300_000 }, () => {
  it(`runs a delivery acknowledged just before a SIGKILL once, after the restart (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const env = { ...files(), LAYOUT: 'start' }
      writeFileSync(env.HOLD, '')
      const first = await start(env)
      const answer = await deliver(first, `d${run}`)
      expect(answer.status).toBe(200)
      const id = answer.headers.get('x-execution-id')!
      await kill(first)
      rmSync(env.HOLD)
      const second = await start(env)
      const [execution] = await settled(second, 1)
      expect(execution).toMatchObject({ id, status: 'resolved' })
      expect(runsOf(env.LOG).get(id)).toEqual(['one', 'two', 'three'])
      await kill(second)
      rmSync(dir!, { recursive: true, force: true })
    }
  })

  it(`resumes a run killed in the middle after its last resolved job, running no node twice (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const env = { ...files(), LAYOUT: 'middle' }
      writeFileSync(env.HOLD, '')
      const first = await start(env)
      const answer = await deliver(first, `d${run}`)
      const id = answer.headers.get('x-execution-id')!
      // Wait until the first step ran and its job is saved: the run sits in `hold`.
      await holding(env)
      expect(runsOf(env.LOG).get(id)).toEqual(['one'])
      await kill(first)
      rmSync(env.HOLD)
      const second = await start(env)
      const [execution] = await settled(second, 1)
      expect(execution).toMatchObject({ id, status: 'resolved', attempts: 2 })
      expect(execution!.jobs.map((job) => job.nodeKey)).toEqual(['one', 'hold', 'two', 'three'])
      expect(runsOf(env.LOG).get(id)).toEqual(['one', 'two', 'three'])
      await kill(second)
      rmSync(dir!, { recursive: true, force: true })
    }
  })

  it('resumes a loop killed in its second pass at that pass, running no finished pass again (2 runs)', async () => {
    for (let run = 0; run < 2; run++) {
      const env = { ...files(), LAYOUT: 'loop' }
      writeFileSync(env.HOLD, '')
      const first = await start(env)
      const id = (await deliver(first, `d${run}`)).headers.get('x-execution-id')!
      // Wait until the second pass's step ran and the run sits in that pass's `hold`.
      await holding(env)
      expect(runsOf(env.LOG).get(id)).toEqual(['one', 'one'])
      await kill(first)
      rmSync(env.HOLD)
      const second = await start(env)
      const [execution] = await settled(second, 1)
      expect(execution).toMatchObject({ id, status: 'resolved', attempts: 2 })
      expect(execution!.jobs.map((job) => job.nodeKey)).toEqual(['each', 'one', 'hold', 'one', 'hold', 'one', 'hold', 'two'])
      expect(execution!.jobs[0]?.result).toEqual({ passes: 3, broken: false })
      expect(runsOf(env.LOG).get(id)).toEqual(['one', 'one', 'one', 'two'])
      await kill(second)
      rmSync(dir!, { recursive: true, force: true })
    }
  })

  it('keeps every acknowledged delivery of a burst of 500 killed halfway, each run once (2 runs)', async () => {
    for (let run = 0; run < 2; run++) {
      const env = { ...files(), LAYOUT: 'plain' }
      const first = await start(env)
      const acknowledged = new Map<string, string>()
      let killed: Promise<void> | undefined
      await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          try {
            const answer = await deliver(first, `d${i}`)
            if (answer.status === 200) acknowledged.set(`d${i}`, answer.headers.get('x-execution-id')!)
            if (acknowledged.size === 250) killed ??= kill(first)
          } catch {
            // Cut off by the kill: not acknowledged, the sender would retry.
          }
        }),
      )
      await killed
      expect(acknowledged.size).toBeGreaterThanOrEqual(250)
      const second = await start(env)
      const all = await settled(second, acknowledged.size)
      const byId = new Map(all.map((e) => [e.id, e]))
      for (const id of acknowledged.values()) expect(byId.get(id)?.status).toBe('resolved')
      // No delivery stored twice; every stored one ran its steps to the end.
      const deliveries = all.map((e) => (e.context.body as { delivery: string }).delivery)
      expect(new Set(deliveries).size).toBe(deliveries.length)
      const runs = runsOf(env.LOG)
      for (const execution of all) {
        expect(execution.status).toBe('resolved')
        // A node cut off between its side effect and its saved job runs again on resume; the
        // ones before it never do. Count the steps that completed more than once.
        const steps = runs.get(execution.id) ?? []
        expect(new Set(steps)).toEqual(new Set(['one', 'two', 'three']))
        expect(steps.length).toBeLessThanOrEqual(4)
      }
      await kill(second)
      rmSync(dir!, { recursive: true, force: true })
    }
  })
})
