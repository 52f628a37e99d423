/**
 * hookflow through `hookflow/node` on the embedded SQLite store (a fresh file in the temp
 * folder, WAL, group commit, its durable queue): the durable-ingest scenario.
 */
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine, WebhookTrigger } from '../../dist/index.js'
import { createListener } from '../../dist/adapters/node/index.js'
import { createSqliteStore } from '../../dist/storage/sqlite/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const filename = join(mkdtempSync(join(tmpdir(), 'hookflow-bench-')), 'bench.db')
const engine = createEngine({ store: createSqliteStore({ filename }) })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
await engine.start()
const trigger = new WebhookTrigger({ engine })
serveBench(createServer(createListener(trigger)), { idle: () => engine.idle() })
