/**
 * A hookflow receiver and worker on the Postgres store, for the Postgres crash tests: an async
 * workflow whose `step` nodes append a line per run to a log file (so the test can count runs),
 * and a `hold` node that waits while a file exists (so the test can kill the process while its
 * runs are held). Prints `listening PORT` once it answers.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, WebhookTrigger } from '../../../src/index.js'
import { createListener } from '../../../src/adapters/node/index.js'
import { createPostgresStore } from '../../../src/storage/postgres/index.js'
import { crashWorkflow, crashNodeTypes } from './postgres-crash-workflow.js'

function env(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`postgres-crash-server needs ${name}`)
  return value
}

const store = createPostgresStore({ connectionString: env('PG_URL') }, { schema: env('SCHEMA') })
await store.migrate()
// Short claims for a quick takeover, with room for a late heartbeat on a busy machine.
const engine = createEngine({ store, nodeTypes: crashNodeTypes(env('LOG'), env('HOLD')), leaseMs: 1_000 })
engine.register(crashWorkflow(env('LAYOUT')))
await engine.start()

const server = createServer(createListener(new WebhookTrigger({ engine })))
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`))
