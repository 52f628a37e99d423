import { createMemoryStore } from '../../src/storage/memory-store.js'
import { createMemoryQueue } from '../../src/queue/memory-queue.js'
import { describeQueue, describeStore } from '../../src/testing/index.js'

describeStore('memory', () => createMemoryStore())

describeQueue('memory', ({ concurrency }) => ({ queue: createMemoryQueue({ concurrency }), store: createMemoryStore() }))
