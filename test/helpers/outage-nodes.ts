/**
 * @module
 * Child processes for the crash and outage tests (test/integration/outage/outage-node.mjs, on
 * the built package): spawn one with its env, wait until it listens or is ready, read its log
 * lines, deliver webhooks to it, kill it. Children still running after a test file are killed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { afterAll, afterEach } from 'vitest'

const NODE = new URL('../integration/outage/outage-node.mjs', import.meta.url).pathname

export interface HookflowNode {
  child: ChildProcess
  /** The webhook URL of the workflow (not for ROLE=worker). */
  url?: string
  /** Its stderr (the engine's log) and stdout, line by line. */
  errors: string[]
  output: string[]
  /** Resolves with the exit code (or signal) once it ended. */
  exited: Promise<number | string | null>
  /** Resolves once `engine.start()` resolved in it. */
  ready: Promise<void>
}

const children = new Set<ChildProcess>()
const killAll = (): void => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}
afterEach(killAll)
afterAll(killAll)

/** Starts a node; resolves once it listens (ROLE=worker: once it is ready). */
export function spawnNode(env: Record<string, string | undefined>): Promise<HookflowNode> {
  const child = spawn(process.execPath, [NODE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  const node: HookflowNode = {
    child,
    errors: [],
    output: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => {
      children.delete(child)
      resolve(code ?? signal)
    })),
    ready: new Promise(() => undefined),
  }
  let listening: (() => void) | undefined
  node.ready = new Promise((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      node.output.push(line)
      if (line === 'ready') resolve()
      const port = /^listening (\d+)$/.exec(line)?.[1]
      if (port) {
        node.url = `http://127.0.0.1:${port}/api/webhook:trigger/crash`
        listening?.()
      }
    })
  })
  createInterface({ input: child.stderr! }).on('line', (line) => {
    node.errors.push(line)
    if (process.env.HOOKFLOW_TEST_VERBOSE) console.error(`[child ${child.pid}] ${line}`)
  })
  return new Promise((resolve, reject) => {
    void node.exited.then((code) => reject(new Error(`the node exited early (${String(code)}): ${node.errors.slice(-5).join(' | ')}`)))
    if (env.ROLE === 'worker') return void node.ready.then(() => resolve(node))
    listening = () => resolve(node)
  })
}

export async function kill(node: HookflowNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  node.child.kill(signal)
  await node.exited
}

/** Posts one delivery; resolves with the execution id when it was acknowledged (200), else undefined. */
export async function deliver(url: string, delivery: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delivery }), signal: signal ?? AbortSignal.timeout(15_000) })
    await response.arrayBuffer()
    return response.status === 200 ? response.headers.get('x-execution-id') ?? undefined : undefined
  } catch {
    return undefined
  }
}

/** The step runs in a log file: execution id to its node keys, in order, and the pids that ran them. */
export function runsOf(log: string): Map<string, Array<{ key: string; pid: number }>> {
  const runs = new Map<string, Array<{ key: string; pid: number }>>()
  if (!existsSync(log)) return runs
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const [id = '', key = '', pid = '0'] = line.split(' ')
    runs.set(id, [...(runs.get(id) ?? []), { key, pid: Number(pid) }])
  }
  return runs
}

/** Lines of a node's log that start or end an outage. */
export function outageLines(node: HookflowNode): { started: string[]; ended: string[] } {
  return {
    started: node.errors.filter((line) => line.includes('unavailable, retrying until it answers')),
    ended: node.errors.filter((line) => line.includes('available again after')),
  }
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
