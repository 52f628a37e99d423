/**
 * hookflow through `hookflow/node`, on the built package and the memory store: the workload's
 * sync and async workflows registered, `createListener(trigger)` on node:http.
 */
import { createServer } from 'node:http'
import { createEngine, createMemoryStore, WebhookTrigger } from '../../dist/index.js'
import { createListener } from '../../dist/adapters/node/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

// BENCH_HISTORY sets how many finished executions the memory store keeps (default 10,000).
const history = process.env.BENCH_HISTORY === undefined ? undefined : Number(process.env.BENCH_HISTORY)
const engine = createEngine({ store: createMemoryStore({ maxFinished: history }) })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })
serveBench(createServer(createListener(trigger)), { idle: () => engine.idle() })
