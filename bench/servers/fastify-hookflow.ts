/**
 * hookflow through `hookflow/fastify` on the built package and the memory store: the
 * workload's workflows registered, `app.register(hookflowFastify, { trigger })` in a Fastify 5
 * app with the same settings as fastify-hand.ts.
 */
import Fastify from 'fastify'
import { createEngine, createMemoryStore, WebhookTrigger } from '../../dist/index.js'
import { hookflowFastify } from '../../dist/adapters/fastify/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { benchListening } from '../lib/serve-bench.js'

const engine = createEngine({ store: createMemoryStore() })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })

const app = Fastify({ logger: false, keepAliveTimeout: 60_000 })
await app.register(hookflowFastify, { trigger })

await app.listen({ port: 0, host: '127.0.0.1' })
benchListening(app.server, { idle: () => engine.idle() })
