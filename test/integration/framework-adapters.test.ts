import http, { type Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { createListener } from '../../src/adapters/node/index.js'
import { handle } from '../../src/adapters/express/index.js'
import hookflowFastify from '../../src/adapters/fastify/index.js'
import { describeFrameworkAdapter, listen } from '../../src/testing/index.js'

// One matrix, four mounts: each must give every request the answer trigger.fetch gives.

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

describeFrameworkAdapter('hookflow/fastify', async (trigger, { prefix }) => {
  const app = Fastify()
  await app.register(hookflowFastify, { trigger, prefix })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
})
