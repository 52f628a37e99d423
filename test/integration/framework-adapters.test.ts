import http, { type Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { createListener } from '../../src/adapters/node/index.js'
import { describeFrameworkAdapter, listen } from '../../src/testing/index.js'

// One matrix, every mount: each must give every request the answer trigger.fetch gives.

describeFrameworkAdapter('trigger.fetch on @hono/node-server', async (trigger) =>
  listen(createAdaptorServer({ fetch: trigger.fetch }) as Server),
)

describeFrameworkAdapter('hookflow/node', async (trigger) => listen(http.createServer(createListener(trigger))))
