/**
 * `npm run cluster`: one receiver and two workers as separate processes on Postgres and Redis
 * (BullMQ). Migrates the schema once, starts the three, and runs until Ctrl-C.
 * `npm run cluster -- --demo` also sends 40 deliveries (and a sync ping), waits until every one
 * is resolved, prints which worker ran how many, and stops.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { openStore, PG_URL, REDIS_URL, SCHEMA } from './config.js'

const demo = process.argv.includes('--demo')
const port = Number(process.env.PORT ?? (demo ? 0 : 3000))
const here = new URL('.', import.meta.url).pathname

// Migrations are explicit: once, before any process uses the schema.
const store = openStore()
await store.migrate()
console.log(`cluster on Postgres ${PG_URL.replace(/\/\/[^@/]*@/, '//…@')} (schema ${SCHEMA}) and Redis ${REDIS_URL}`)

const children: ChildProcess[] = []
function run(name: string, script: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${here}${script}`], {
    env: { ...process.env, ROLE_NAME: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`[${name}] ${line}`))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(`[${name}] ${line}`)
      if (/^(listening on|working)/.test(line)) resolve(line)
    })
  })
}

async function stop(): Promise<void> {
  await Promise.all(children.map((child) => new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })))
  await store.close()
}
process.once('SIGINT', () => void stop().then(() => process.exit(0)))

const [listening] = await Promise.all([
  run('receiver', 'receiver.ts', { PORT: String(port) }),
  run('worker-1', 'worker.ts'),
  run('worker-2', 'worker.ts'),
])
const origin = /http:\/\/[\d.]+:\d+/.exec(listening)![0]
console.log(`\nsend webhooks to ${origin}/api/webhook:trigger/order-placed (async) or .../ping (sync)`)

if (demo) {
  const started = Date.now()
  const ping = await fetch(`${origin}/api/webhook:trigger/ping`, { method: 'POST' })
  console.log(`sync ping: ${ping.status} ${await ping.text()}`)
  const ids = await Promise.all(Array.from({ length: 40 }, async (_, order) => {
    const response = await fetch(`${origin}/api/webhook:trigger/order-placed`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order }),
    })
    if (response.status !== 202) throw new Error(`delivery ${order} answered ${response.status}`)
    return response.headers.get('x-execution-id')!
  }))
  // Every acknowledged delivery is resolved, by one worker or the other.
  const byWorker = new Map<string, number>()
  for (const id of ids) {
    for (;;) {
      const execution = await store.executions.get(id)
      if (execution?.status === 'resolved') break
      if (execution && !['queued', 'started'].includes(execution.status)) throw new Error(`${id} ended ${execution.status}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const [job] = await store.jobs.list(id)
    const by = (job?.result as { by: string }).by
    byWorker.set(by, (byWorker.get(by) ?? 0) + 1)
  }
  console.log(`\n${ids.length} deliveries acknowledged and resolved in ${Date.now() - started} ms:`)
  for (const [worker, count] of [...byWorker].sort()) console.log(`  ${worker}: ${count}`)
  await stop()
  process.exit(0)
}
