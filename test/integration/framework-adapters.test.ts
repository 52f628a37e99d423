import http, { type Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import express from 'express'
import { createListener } from '../../src/adapters/node/index.js'
import { handle } from '../../src/adapters/express/index.js'
import { describeFrameworkAdapter, listen } from '../../src/testing/index.js'

// One matrix, every mount: each must give every request the answer trigger.fetch gives.

describeFrameworkAdapter('trigger.fetch on @hono/node-server', async (trigger) =>
  listen(createAdaptorServer({ fetch: trigger.fetch }) as Server),
)

describeFrameworkAdapter('hookflow/node', async (trigger) => listen(http.createServer(createListener(trigger))))

describeFrameworkAdapter('hookflow/express', async (trigger, { prefix }) => {
  const app = express()
  app.use(prefix, handle(trigger))
  // The app's own parser, after the mount, must not reach webhook requests.
  app.use(express.json())
  return listen(http.createServer(app))
})
