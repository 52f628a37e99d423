/**
 * A worker: takes async executions off the BullMQ queue and runs them. Run as many as the work
 * needs; each runs `concurrency` executions at once.
 */
import { createEngine } from '../../src/index.js'
import { nodeTypes, openQueue, openStore, registerWorkflows } from './config.js'

const store = openStore()
const queue = openQueue(store)
const engine = createEngine({ store, queue, nodeTypes })
registerWorkflows(engine)
engine.on('error', (error) => console.error('engine error:', error))
engine.on('execution:finished', (execution) => {
  if (process.env.CLUSTER_VERBOSE) console.log(`${execution.status} ${execution.workflowKey} ${execution.id}`)
})
await engine.start()
console.log('working')

async function shutdown(): Promise<void> {
  // Closing the queue first stops taking jobs and waits for the ones running here; what waits
  // in the queue stays for the other workers. Then the engine closes the store.
  await queue.close()
  await engine.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
