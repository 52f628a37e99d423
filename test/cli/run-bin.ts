/**
 * @module
 * The built `hookflow` command, run as a user runs it (`node dist/cli/bin.js ...`; npm test
 * builds first): one-shot commands with their exit code and output, and `hookflow dev` as a
 * long-running process whose `--json` events a test waits for.
 *
 * ```ts
 * const { code, stdout } = await runBin(['paths', 'sample.json'], { cwd })
 * const dev = await startDev(['dev', folder, '--port', '0', '--memory'], { cwd })
 * const { url } = await dev.next((event) => event.event === 'listening')
 * expect(await dev.stop()).toBe(0)
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'

export const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url))

export interface BinResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  input?: string
  env?: NodeJS.ProcessEnv
}

// Colour stays off unless a test asks for it: the output is not a terminal, and no stray
// FORCE_COLOR from the runner's environment should turn it on.
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.FORCE_COLOR
  delete env.NO_COLOR
  return { ...env, ...extra }
}

export function runBin(args: readonly string[], options: RunOptions = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: environment(options.env), stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

export type DevEvent = Record<string, any> & { event: string }

export interface DevProcess {
  readonly child: ChildProcess
  /** Every event so far. */
  readonly events: DevEvent[]
  stderr(): string
  /** The first event (from the start, or after `after` events) that matches. */
  next(match: (event: DevEvent) => boolean, options?: { after?: number; timeoutMs?: number }): Promise<DevEvent>
  /** Sends SIGINT (or the signal given) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** SIGKILL unless it has exited (for cleanup hooks). */
  kill(): Promise<void>
}

/** `hookflow dev ... --json` (or the text output with `json: false`); stop or kill it in the test's cleanup. */
export function startDev(args: readonly string[], options: RunOptions & { json?: boolean } = {}): DevProcess {
  const json = options.json ?? true
  const child = spawn(process.execPath, [BIN, ...args, ...(json ? ['--json'] : [])], { cwd: options.cwd, env: environment(options.env), stdio: 'pipe' })
  const events: DevEvent[] = []
  let stderr = ''
  let buffer = ''
  let waiters: Array<() => void> = []
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let ended = false
  void exited.then(() => {
    ended = true
    for (const wake of waiters) wake()
  })
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    let newline: number
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      if (line.trim() === '') continue
      events.push(json ? (JSON.parse(line) as DevEvent) : { event: 'line', text: line })
    }
    const woken = waiters
    waiters = []
    for (const wake of woken) wake()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const dev: DevProcess = {
    child,
    events,
    stderr: () => stderr,
    async next(match, { after = 0, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = events.slice(after).find(match)
        if (found) return found
        if (ended) throw new Error(`hookflow dev exited before the event came; events: ${JSON.stringify(events)}; stderr: ${stderr}`)
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`no such event within ${timeoutMs} ms; events: ${JSON.stringify(events)}; stderr: ${stderr}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
    async stop(signal = 'SIGINT') {
      if (!ended) child.kill(signal)
      return exited
    },
    async kill() {
      if (!ended) child.kill('SIGKILL')
      await exited
    },
  }
  return dev
}

/** `startDev`, killed when the test ends if it still runs. */
export function devForTest(args: readonly string[], options: RunOptions & { json?: boolean } = {}): DevProcess {
  const dev = startDev(args, options)
  onTestFinished(() => dev.kill())
  return dev
}

/** Resolves once `condition()` holds (polled), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A fresh temporary folder and how to remove it. */
export function makeTempFolder(label = 'cli'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `hookflow-${label}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A fresh temporary folder, removed when the test ends. */
export function tempFolder(label = 'cli'): string {
  const folder = makeTempFolder(label)
  onTestFinished(() => folder.remove())
  return folder.path
}
