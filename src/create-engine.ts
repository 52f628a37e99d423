/**
 * @module
 * `createEngine`: an engine wired with the built-in node types (condition, response, end),
 * the memory store and the in-process queue, unless told otherwise.
 *
 * ```ts
 * import { createEngine, defineNode } from 'hookflow'
 * const score = defineNode({ type: 'acme.score', run: async () => ({ score: 7 }) })
 * const engine = createEngine({ nodeTypes: [score], concurrency: 4 })
 * ```
 */
import { Engine } from './engine/engine.js'
import type { NodeType } from './engine/node-type.js'
import type { Store } from './storage/store.js'
import type { Queue } from './queue/queue.js'
import { createMemoryStore } from './storage/memory-store.js'
import { createMemoryQueue } from './queue/memory-queue.js'
import { conditionNode } from './nodes/condition.js'
import { responseNode } from './nodes/response.js'
import { endNode } from './nodes/end.js'

export interface CreateEngineOptions {
  /** Default: `createMemoryStore()` (lost on exit; keeps the last 10,000 finished). */
  store?: Store
  /** Default: the store's own durable queue if it has one, else `createMemoryQueue({ concurrency })`. */
  queue?: Queue
  /** Extra node types; the built-ins are always there. */
  nodeTypes?: NodeType<any, any>[]
  /** Async executions run at once by the default queue. Default 8. */
  concurrency?: number
  /** How long a worker's claim on an async execution holds, in ms. Default 5 minutes. */
  leaseMs?: number
}

export const builtInNodeTypes: readonly NodeType<any, any>[] = [conditionNode, responseNode, endNode]

export function createEngine(options: CreateEngineOptions = {}): Engine {
  if (options.queue && options.concurrency !== undefined) {
    throw new TypeError('`concurrency` configures the default queue; set it on the queue you pass instead')
  }
  const store = options.store ?? createMemoryStore()
  return new Engine({
    store,
    // A store with its own durable queue runs what it accepted, also after a restart.
    queue: options.queue ?? store.createQueue?.({ concurrency: options.concurrency }) ?? createMemoryQueue({ concurrency: options.concurrency }),
    nodeTypes: [...builtInNodeTypes, ...(options.nodeTypes ?? [])],
    leaseMs: options.leaseMs,
  })
}
