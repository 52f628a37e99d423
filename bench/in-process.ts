/**
 * `trigger.fetch` with no socket at all: how many executions one core runs per second when
 * the cost is only building the `Request`, the core, the engine and reading the `Response`.
 * Prints one JSON line: `{ sync, async }` in executions per second.
 */
import { createEngine, WebhookTrigger } from '../dist/index.js'
import { asyncWorkflow, body, headers, PATH_ASYNC, PATH_SYNC, QUERY, syncWorkflow } from './workload.js'

const engine = createEngine({ concurrency: 64 })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })

async function measure(path: string, expectStatus: number, count: number): Promise<number> {
  const url = `http://127.0.0.1${path}${QUERY}`
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const response = await trigger.fetch(new Request(url, { method: 'POST', headers, body }))
    if (response.status !== expectStatus) throw new Error(`expected ${expectStatus}, got ${response.status}`)
    await response.arrayBuffer()
    // Keep the async queue from growing without bound; its runs belong to the cost.
    if (i % 1000 === 999) await engine.idle()
  }
  await engine.idle()
  return count / ((performance.now() - start) / 1000)
}

await measure(PATH_SYNC, 200, 5_000) // warm-up
await measure(PATH_ASYNC, 200, 5_000)
const sync = await measure(PATH_SYNC, 200, 30_000)
const async = await measure(PATH_ASYNC, 200, 30_000)
console.log(JSON.stringify({ sync, async }))
await engine.close()
