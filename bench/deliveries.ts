/**
 * `node --import tsx bench/deliveries.ts [--async] [--count=N]`: N deliveries of the workload
 * through `trigger.fetch` with the Node bridge's light request, one after another, and the CPU
 * time they took per delivery. The loop `bench/instructions.sh` counts machine instructions
 * of, and a plain target for `--cpu-prof` or `--heap-prof`.
 */
import { createEngine, createMemoryStore, WebhookTrigger } from '../dist/index.js'
import { asyncWorkflow, body, headers, PATH_ASYNC, PATH_SYNC, QUERY, syncWorkflow } from './workload.js'
import { lightRequestMaker } from './light-request.js'

const countArg = process.argv.find((arg) => arg.startsWith('--count='))
const count = countArg ? Number(countArg.slice('--count='.length)) : 150_000
const path = process.argv.includes('--async') ? PATH_ASYNC : PATH_SYNC

const history = process.env.BENCH_HISTORY === undefined ? undefined : Number(process.env.BENCH_HISTORY)
const engine = createEngine({ concurrency: 64, store: createMemoryStore({ maxFinished: history }) })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })
const request = lightRequestMaker(headers, body)
const url = `http://127.0.0.1${path}${QUERY}`

const before = process.cpuUsage()
for (let i = 0; i < count; i++) {
  const response = await trigger.fetch(request(url))
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`)
  // Async runs are part of the cost; drained now and then so the queue stays short.
  if (i % 1000 === 999) await engine.idle()
}
await engine.idle()
const cpu = process.cpuUsage(before)
console.log(JSON.stringify({ path, count, cpuMicrosPerDelivery: Number(((cpu.user + cpu.system) / count).toFixed(2)) }))
await engine.close()
