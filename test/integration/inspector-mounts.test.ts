import type { Server } from 'node:http'
import { createServer } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createEngine, type Engine, WebhookTrigger } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { handle } from '../../src/adapters/express/index.js'
import hookflowFastify from '../../src/adapters/fastify/index.js'
import { createInspector, type Inspector } from '../../src/inspector/index.js'
import { listen } from '../../src/testing/listen.js'
import { ADMIN, ADMIN_AUTH, WORKFLOWS } from '../helpers/inspector.js'

// The inspector mounted as docs/inspector.md shows it, beside the trigger, in each server: the page,
// a state-changing POST and the live event stream all work through each mount.

type Mount = (trigger: WebhookTrigger, inspector: Inspector) => Promise<{ url: string; close(): Promise<void> }>

const mounts: Array<[string, Mount]> = [
  ['hookflow/node', async (trigger, inspector) => listen(createServer(createListener({
    fetch: (request) => (inspector.handles(new URL(request.url).pathname) ? inspector.fetch(request) : trigger.fetch(request)),
  })))],
  ['Express', async (trigger, inspector) => {
    const app = express()
    app.use(handle(inspector))
    app.use(handle(trigger))
    return listen(createServer(app))
  }],
  ['Fastify', async (trigger, inspector) => {
    const app = Fastify()
    await app.register(hookflowFastify, { trigger: inspector, prefix: inspector.basePath })
    await app.register(hookflowFastify, { trigger, prefix: trigger.basePath })
    await app.ready()
    return listen(app.server)
  }],
  ['Hono', async (trigger, inspector) => {
    const app = new Hono()
    app.all('/hookflow', (c) => inspector.fetch(c.req.raw))
    app.all('/hookflow/*', (c) => inspector.fetch(c.req.raw))
    app.all('/api/webhook:trigger/*', (c) => trigger.fetch(c.req.raw))
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server)
  }],
]

describe.each(mounts)('the inspector mounted with %s', (_name, mount) => {
  async function start(): Promise<{ url: string; engine: Engine }> {
    const engine = createEngine({ functions: { note: () => ({}), flaky: () => ({}) } })
    for (const definition of WORKFLOWS) engine.register(definition)
    const trigger = new WebhookTrigger({ engine })
    const inspector = createInspector({ engine, trigger, auth: ADMIN })
    const server = await mount(trigger, inspector)
    onTestFinished(async () => {
      inspector.close()
      await server.close()
      await engine.close()
    })
    return { url: server.url, engine }
  }

  it('serves the page and its script behind the credentials', async () => {
    const { url } = await start()
    expect((await fetch(`${url}/hookflow/`)).status).toBe(401)
    const page = await fetch(`${url}/hookflow/`, { headers: { authorization: ADMIN_AUTH } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('hookflow inspector')
    const script = await fetch(`${url}/hookflow/assets/inspector.js`, { headers: { authorization: ADMIN_AUTH } })
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('replays an execution through a same-origin POST, and refuses a cross-site one', async () => {
    const { url, engine } = await start()
    const delivered = await fetch(`${url}/api/webhook:trigger/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":1}' })
    const id = delivered.headers.get('x-execution-id')!
    await engine.idle()
    const post = (origin: string): Promise<Response> =>
      fetch(`${url}/hookflow/api/executions/${id}/replay`, { method: 'POST', headers: { authorization: ADMIN_AUTH, origin } })
    expect((await post('https://evil.example')).status).toBe(403)
    const replayed = await post(url)
    expect(replayed.status).toBe(201)
    expect(((await replayed.json()) as any).execution.replayOf).toBe(id)
  })

  it('streams live events as deliveries arrive, and the server closes with a stream open', async () => {
    const { url } = await start()
    const response = await fetch(`${url}/hookflow/api/events`, { headers: { authorization: ADMIN_AUTH } })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes(': connected')) text += (await reader.read()).value ?? ''
    const delivered = await fetch(`${url}/api/webhook:trigger/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":1}' })
    const id = delivered.headers.get('x-execution-id')!
    while (!text.includes(`"id":"${id}","workflowKey":"orders","status":"resolved"`)) {
      const { value, done } = await reader.read()
      if (done) throw new Error('the stream ended early')
      text += value
    }
    expect(text).toContain('event: execution:finished')
  })
})
