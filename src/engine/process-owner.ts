/**
 * @module
 * Who holds a claim. An owner id names the engine (a random part), its process (pid, and the
 * process's start time in clock ticks since boot) and its host (hostname, boot id and pid
 * namespace), so that a worker on the same host can tell for sure that the process behind a
 * claim is gone and release its claims at once instead of waiting out the lease.
 *
 * ```ts
 * const owner = processOwnerId()   // 'k3Jd… pid:4242 start:981234 host:web-1 boot:6c1f… ns:4026531836'
 * isDeadLocalOwner(owner)          // false: this very process
 * ```
 *
 * "Dead" is only ever answered when certain: the host, boot and pid namespace are this
 * process's, and the pid is free (`ESRCH`), a zombie, or now another process (its start time
 * differs: the pid was reused). Anything else (another machine, another container, a runtime
 * without Node's built-ins or without `/proc`) answers false and the claim waits out its lease.
 */
import { randomId } from './random-id.js'

interface Identity {
  pid: number
  start: string
  host: string
  boot: string
  ns: string
}

type Fs = typeof import('node:fs')
type Os = typeof import('node:os')

const OWNER = / pid:(\d+) start:(\d+) host:(\S+) boot:(\S+) ns:(\S+)$/

let identity: Identity | null | undefined

// Node's built-ins without importing them: the engine also runs where they do not exist.
function builtin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    return proc?.getBuiltinModule?.(name) as T | undefined
  } catch {
    return undefined
  }
}

/** Field 22 of `/proc/<pid>/stat` (start time, ticks since boot) and field 3 (state). */
function procStat(fs: Fs, pid: number | 'self'): { start: string; state: string } | undefined {
  let text: string
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
  // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const start = fields[19]
  const state = fields[0]
  return start && state ? { start, state } : undefined
}

function thisProcess(): Identity | null {
  if (identity !== undefined) return identity
  identity = null
  const fs = builtin<Fs>('node:fs')
  const os = builtin<Os>('node:os')
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid
  if (!fs || !os || typeof pid !== 'number') return identity
  try {
    const stat = procStat(fs, 'self')
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()
    // 'pid:[4026531836]': containers on one kernel share the boot id, not the pid namespace.
    const ns = /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1]
    const host = os.hostname().replace(/\s/g, '_')
    if (stat && /^[\w-]+$/.test(boot) && ns && host) identity = { pid, start: stat.start, host, boot, ns }
  } catch {
    // No /proc (macOS, Windows, a sandbox): owners are plain ids, claims wait out their lease.
  }
  return identity
}

/** A new owner id for an engine of this process. */
export function processOwnerId(): string {
  const self = thisProcess()
  const id = randomId()
  return self ? `${id} pid:${self.pid} start:${self.start} host:${self.host} boot:${self.boot} ns:${self.ns}` : id
}

/** True only when the owner's process ran on this host and is certainly gone. */
export function isDeadLocalOwner(owner: string): boolean {
  const self = thisProcess()
  const match = OWNER.exec(owner)
  if (!self || !match) return false
  const [, pidText, start, host, boot, ns] = match
  if (host !== self.host || boot !== self.boot || ns !== self.ns) return false
  const pid = Number(pidText)
  if (pid === self.pid) return start !== self.start
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as { code?: string }).code === 'ESRCH') return true
    // EPERM: a process of another user holds the pid; its start time tells whether it is ours.
    if ((error as { code?: string }).code !== 'EPERM') return false
  }
  const stat = procStat(builtin<Fs>('node:fs')!, pid)
  if (!stat) return false
  // A zombie has exited (its parent has not reaped it yet); another start time is another process.
  return stat.state === 'Z' || stat.state === 'X' || stat.start !== start
}
