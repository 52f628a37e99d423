/**
 * The webhook core with an engine that keeps and runs nothing: a store whose `create` hands the
 * record back and a queue that drops every id. Async deliveries pay routing, auth, reading and
 * parsing the request, `dispatch`'s bookkeeping and the answer; no execution is stored or run.
 * Beside `hookflow.ts` it splits hookflow's cost into the core's share and the engine's
 * (store, queue, run, history). A diagnostic for `bench/ab.ts` with `:async`, not a scenario:
 * a sync workflow needs a run to answer, so only the async path means anything here.
 */
import { createServer } from 'node:http'
import { createEngine, type Queue, type Store, WebhookTrigger } from '../../dist/index.js'
import { createListener } from '../../dist/adapters/node/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const nothing = (): never => {
  throw new Error('core-only keeps no executions')
}

const store: Store = {
  executions: {
    create: async (execution) => ({ created: true, execution: { ...execution, jobs: [] } }),
    get: async () => undefined,
    update: nothing,
    claim: async () => undefined,
    renew: async () => false,
    claimable: async () => [],
    list: async () => [],
    delete: async () => false,
    prune: async () => 0,
  },
  jobs: { save: nothing, list: async () => [] },
}

const queue: Queue = {
  start: () => undefined,
  enqueue: async () => undefined,
  idle: async () => undefined,
  close: async () => undefined,
}

const engine = createEngine({ store, queue })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
serveBench(createServer(createListener(new WebhookTrigger({ engine }))))
