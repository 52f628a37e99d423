/**
 * `hookflow/testing`: shared suites for code that plugs into hookflow, run under vitest (a peer
 * dependency of this entry only). `describeFrameworkAdapter` sends the same real requests to a
 * server `mount` builds and demands the answers `trigger.fetch` gives; `describeStore` and
 * `describeQueue` hold a store or queue adapter to the contract the engine relies on.
 *
 * ```ts
 * // test/koa-adapter.test.ts
 * import http from 'node:http'
 * import Koa from 'koa'
 * import { describeFrameworkAdapter, listen } from 'hookflow/testing'
 * import { hookflowKoa } from '../src/hookflow-koa.js'
 *
 * describeFrameworkAdapter('koa', async (trigger, { prefix }) => {
 *   const app = new Koa().use(hookflowKoa(trigger, { prefix }))
 *   return listen(http.createServer(app.callback()))
 * })
 * ```
 *
 * @module hookflow/testing
 */
export {
  describeFrameworkAdapter,
  type MountAdapter,
  type MountedServer,
  type MountOptions,
} from './describe-framework-adapter.js'
export { listen } from './listen.js'
export { describeStore, type CreateStore } from './describe-store.js'
export {
  describeQueue,
  type CreateQueue,
  type CreateQueueOptions,
  type DescribeQueueOptions,
  type QueueUnderTest,
} from './describe-queue.js'
