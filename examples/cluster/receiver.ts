/**
 * A receiver: answers webhooks, runs sync workflows inline, and stores and enqueues async ones
 * for the workers (`worker: false`). Run as many as the traffic needs, behind a load balancer.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, WebhookTrigger } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { nodeTypes, openQueue, openStore, registerWorkflows } from './config.js'

const store = openStore()
const engine = createEngine({ store, queue: openQueue(store), nodeTypes, worker: false })
registerWorkflows(engine)
engine.on('error', (error) => console.error('engine error:', error))

const server = createServer(createListener(new WebhookTrigger({ engine })))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})

async function shutdown(): Promise<void> {
  // Stop taking requests, let the ones in flight answer, then close the engine's connections.
  await new Promise((resolve) => server.close(resolve))
  await engine.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
