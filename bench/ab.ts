/**
 * `node --import tsx bench/ab.ts [--rounds=3] [--seconds=4] NAME=server.ts[:async][@ENV=value] ...`: server
 * CPU per request for a few servers, alternated round by round so that drift on a shared
 * machine hits all of them alike. For A/B checks of a change (build each side to its own
 * dist and point a server at it), not for the table `npm run bench` prints.
 */
import { load } from './lib/load.js'
import { LOAD_CORE, pinSelf, spawnServer } from './lib/spawn-server.js'
import { PATH_ASYNC, PATH_SYNC } from './workload.js'

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const rounds = arg('rounds', 3)
const seconds = arg('seconds', 4)
const connections = arg('connections', 100)
const here = new URL('.', import.meta.url).pathname
const entries = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((spec) => {
  const [head, ...envs] = spec.split('@') as [string, ...string[]]
  const [name, rest] = head.split('=') as [string, string]
  const [script, mode = 'sync'] = rest.split(':') as [string, string?]
  const env = Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  return { name, env, script: script.startsWith('/') ? script : `${here}${script}`, path: mode === 'async' ? PATH_ASYNC : PATH_SYNC }
})
pinSelf(LOAD_CORE)
const cpu: Record<string, number[]> = {}
const rps: Record<string, number[]> = {}
const system: Record<string, number[]> = {}
const p99: Record<string, number[]> = {}
for (let round = 0; round < rounds; round++) {
  for (const entry of entries) {
    const server = await spawnServer(entry.script, entry.env)
    try {
      await load({ url: server.url, path: entry.path, connections: 10, duration: 1, expectStatus: 200 })
      const before = server.cpuMicros()!
      const systemBefore = server.systemMicros()!
      const result = await load({ url: server.url, path: entry.path, connections, duration: seconds, expectStatus: 200 })
      if (result.unexpected > 0) throw new Error(`${entry.name}: ${result.unexpected} unexpected answers ${JSON.stringify(result.statuses)}`)
      ;(cpu[entry.name] ??= []).push((server.cpuMicros()! - before) / result.requests)
      ;(system[entry.name] ??= []).push((server.systemMicros()! - systemBefore) / result.requests)
      ;(rps[entry.name] ??= []).push(result.rps)
      ;(p99[entry.name] ??= []).push(result.p99)
    } finally {
      await server.stop()
    }
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const first = entries[0]!.name
for (const { name } of entries) {
  const c = median(cpu[name]!)
  console.log(
    `${name.padEnd(16)} cpu ${c.toFixed(1).padStart(6)} µs/req (${cpu[name]!.map((x) => x.toFixed(0)).join(' ')}), kernel ${median(system[name]!).toFixed(1)}  ` +
      `rps ${median(rps[name]!).toFixed(0).padStart(6)}  p99 ${median(p99[name]!).toFixed(2)} ms  ` +
      `cpu ${((median(cpu[first]!) / c) * 100).toFixed(0)}% of ${first}'s speed`,
  )
}
