/**
 * `trigger.fetch` with no socket at all: how many executions one core runs per second when
 * the cost is only building the `Request`, the core, the engine and reading the `Response`.
 * Prints one JSON line: `{ sync, async, coreSync, coreAsync }` in executions per second; the
 * `core` pair uses a request with the Node bridge's fast paths (light-request.ts), so it is the
 * core and engine alone.
 */
import { createEngine, WebhookTrigger } from '../dist/index.js'
import { asyncWorkflow, body, headers, PATH_ASYNC, PATH_SYNC, QUERY, syncWorkflow } from './workload.js'
import { lightRequestMaker } from './light-request.js'

const engine = createEngine({ concurrency: 64 })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })

const standard = (url: string): Request => new Request(url, { method: 'POST', headers, body })
const light = lightRequestMaker(headers, body)

async function measure(path: string, expectStatus: number, count: number, request = standard): Promise<number> {
  const url = `http://127.0.0.1${path}${QUERY}`
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const response = await trigger.fetch(request(url))
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
await measure(PATH_SYNC, 200, 5_000, light)
const coreSync = await measure(PATH_SYNC, 200, 50_000, light)
const coreAsync = await measure(PATH_ASYNC, 200, 50_000, light)
console.log(JSON.stringify({ sync, async, coreSync, coreAsync }))
await engine.close()
