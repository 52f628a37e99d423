/**
 * hookflow through `hookflow/express` on the built package and the memory store: the
 * workload's workflows registered, `app.use(handle(trigger))` in an Express 5 app with the
 * same settings as express-hand.ts. The core reads the body itself; no body parser in front.
 */
import { createServer } from 'node:http'
import express from 'express'
import { createEngine, createMemoryStore, WebhookTrigger } from '../../dist/index.js'
import { handle } from '../../dist/adapters/express/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const engine = createEngine({ store: createMemoryStore() })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })

const app = express()
app.set('etag', false)
app.use(handle(trigger))

serveBench(createServer(app), { idle: () => engine.idle() })
