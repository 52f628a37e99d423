/**
 * Starts one benchmark server in its own child process (pinned to one core when `taskset`
 * exists, as the n8n figures were measured), waits for its port, and talks to it over IPC.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'

export interface BenchServer {
  url: string
  /** CPU time the server process used so far, in microseconds (Linux; undefined elsewhere). */
  cpuMicros(): number | undefined
  /** Of that, the kernel's part (system time), in microseconds. */
  systemMicros(): number | undefined
  stats(): Promise<{ peakRss: number; rss: number }>
  resetPeak(): Promise<void>
  /** Deliveries the server stored and runs it finished so far (servers that count them; -1 otherwise). */
  completed(): Promise<{ accepted: number; completed: number }>
  stop(): Promise<void>
}

export const SERVER_CORE = '1'

export async function spawnServer(script: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', SERVER_CORE] : []
  // BENCH_NODE_ARGS: extra Node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=prof`.
  const extra = (env.BENCH_NODE_ARGS ?? process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const command = [...pin, process.execPath, ...extra, '--import', 'tsx', script]
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
  })
  const lines = createInterface({ input: child.stdout! })
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)))
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line)
      if (match) resolve(match[1]!)
    })
  })
  const ask = async <T>(type: string): Promise<T> => {
    const reply = new Promise<T>((resolve) => {
      const onMessage = (message: { type: string } & T): void => {
        if (message.type !== type) return
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
    })
    child.send({ type })
    return reply
  }
  // With taskset in front, the node process is the same pid (taskset execs it).
  const stat = `/proc/${child.pid}/stat`
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMicros() {
      if (!existsSync(stat)) return undefined
      // utime and stime, fields 14 and 15, in clock ticks (100 per second on Linux).
      const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 10_000
    },
    systemMicros() {
      if (!existsSync(stat)) return undefined
      return Number(readFileSync(stat, 'utf8').split(') ')[1]!.split(' ')[12]) * 10_000
    },
    stats: () => ask('stats'),
    resetPeak: () => ask('reset-peak'),
    completed: () => ask<{ accepted: number; completed: number }>('completed'),
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/** The core the load generator (this process) runs on while servers run on `SERVER_CORE`. */
export const LOAD_CORE = '0'

/**
 * Pins this process to `cores` (when `taskset` exists), so the load generator never shares the
 * server's core; `pinSelf(ALL_CORES)` undoes it before scenarios that spread over every core.
 */
export function pinSelf(cores: string): void {
  if (!existsSync('/usr/bin/taskset')) return
  spawnSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' })
}

export const ALL_CORES = `0-${Math.max(availableParallelism() - 1, 0)}`
