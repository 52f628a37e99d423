/**
 * `trigger.fetch` with no socket at all: how many executions one core runs per second when
 * the cost is only building the `Request`, the core, the engine and reading the `Response`.
 * Prints one JSON line: `{ sync, async }` in executions per second. With `--light`, the
 * requests offer the Node bridge's fast paths (light-request.ts) and the answer is read as the
 * bridge reads it (its parts, no undici Response): the core and engine alone, as a Node server
 * pays for them. `--history=0` runs it on a memory store that keeps no finished run, to show
 * what the bounded history costs. Each mode runs in its own process, so neither shapes the other's JIT.
 */
import { createEngine, createMemoryStore, WebhookTrigger } from '../dist/index.js'
import { asyncWorkflow, body, headers, PATH_ASYNC, PATH_SYNC, QUERY, syncWorkflow } from './workload.js'
import { lightRequestMaker } from './light-request.js'

// --history=N: the memory store keeps N finished runs (default 10,000); 0 shows what keeping them costs.
const historyArg = process.argv.find((arg) => arg.startsWith('--history='))
const maxFinished = historyArg === undefined ? undefined : Number(historyArg.slice('--history='.length))
const engine = createEngine({ concurrency: 64, store: createMemoryStore({ maxFinished }) })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })

const RESPONSE_PARTS = Symbol.for('hookflow.response-parts')
const lightMode = process.argv.includes('--light')
const request = lightMode ? lightRequestMaker(headers, body) : (url: string): Request => new Request(url, { method: 'POST', headers, body })

async function measure(path: string, expectStatus: number, count: number): Promise<number> {
  const url = `http://127.0.0.1${path}${QUERY}`
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const response = await trigger.fetch(request(url))
    if (response.status !== expectStatus) throw new Error(`expected ${expectStatus}, got ${response.status}`)
    if (lightMode) {
      if (!(RESPONSE_PARTS in response)) throw new Error('expected a light response')
    } else await response.arrayBuffer()
    // Keep the async queue from growing without bound; its runs belong to the cost.
    if (i % 1000 === 999) await engine.idle()
  }
  await engine.idle()
  return count / ((performance.now() - start) / 1000)
}

await measure(PATH_SYNC, 200, 20_000) // warm-up
await measure(PATH_ASYNC, 200, 20_000)
const sync = await measure(PATH_SYNC, 200, 50_000)
const async = await measure(PATH_ASYNC, 200, 50_000)
console.log(JSON.stringify({ sync, async }))
await engine.close()
