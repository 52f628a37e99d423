import type { Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { app, engine } from '../../examples/hono.js'
import fetchModule from '../../examples/fetch-module.js'
import { listen, type MountedServer } from '../../src/testing/index.js'

// The examples as they are, served by @hono/node-server on a real socket.

const auth = `Basic ${Buffer.from('webhook:secret').toString('base64')}`
// The example workflow echoes x-request-id in its answer, so its senders always send one.
const headers = { authorization: auth, 'content-type': 'application/json', 'x-request-id': 'req-1' }
const delivery = { method: 'POST', headers, body: '{"id":"p1","amount":2500}' }
const servers: MountedServer[] = []

async function serve(fetch: (request: Request) => Response | Promise<Response>): Promise<string> {
  const server = await listen(createAdaptorServer({ fetch }) as Server)
  servers.push(server)
  return server.url
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})
afterAll(() => engine.close())

describe('examples/hono.ts on @hono/node-server', () => {
  it('answers a webhook under /hooks from the workflow’s Response node', async () => {
    const origin = await serve(app.fetch)
    const response = await fetch(`${origin}/hooks/1hfmkioou0d`, delivery)
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toBe('req-1')
    expect(response.headers.get('x-execution-id')).toBeTruthy()
    expect(await response.json()).toEqual({ ok: true, id: 'p1' })
  })

  it('answers an unknown id under /hooks with the core’s JSON 404', async () => {
    const origin = await serve(app.fetch)
    const response = await fetch(`${origin}/hooks/nope`, delivery)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('leaves every other path to the app’s own routes and 404', async () => {
    const origin = await serve(app.fetch)
    const home = await fetch(`${origin}/`)
    const missing = await fetch(`${origin}/elsewhere`, delivery)
    expect([home.status, await home.text()]).toEqual([200, 'the rest of the app'])
    expect([missing.status, await missing.text()]).toEqual([404, '404 Not Found'])
  })
})

describe('examples/fetch-module.ts', () => {
  it('serves webhooks from its detached default export', async () => {
    const origin = await serve(fetchModule.fetch)
    const response = await fetch(`${origin}/api/webhook:trigger/1hfmkioou0d`, delivery)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, id: 'p1' })
  })
})
