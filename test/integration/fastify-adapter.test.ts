import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine, WebhookTrigger, type WebhookTriggerOptions } from '../../src/index.js'
import hookflowFastify, { hookflowFastify as named } from '../../src/adapters/fastify/index.js'

// What only Fastify has: its own 404, body parsers and body limit, prefixes and hooks.

let app: FastifyInstance | undefined
let engine: Engine | undefined

afterEach(async () => {
  await app?.close()
  await engine?.close()
  app = engine = undefined
})

function trigger(options: Omit<WebhookTriggerOptions, 'engine'> = { basePath: '/hooks' }): WebhookTrigger {
  engine = createEngine()
  engine.register({
    key: 'echo',
    sync: true,
    trigger: { type: 'webhook', id: 'echo' },
    nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { got: '{{$context.body}}' } } }],
  })
  return new WebhookTrigger({ engine, ...options })
}

async function serve(instance: FastifyInstance): Promise<string> {
  app = instance
  await instance.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(instance.server.address() as { port: number }).port}`
}

const post = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body })

describe('hookflow/fastify', () => {
  it('exports the plugin both as default and as hookflowFastify', () => {
    expect(hookflowFastify).toBe(named)
  })

  it('leaves a path outside the prefix to Fastify’s own 404', async () => {
    const instance = Fastify()
    await instance.register(hookflowFastify, { trigger: trigger(), prefix: '/hooks' })
    const response = await fetch(`${await serve(instance)}/elsewhere`, post('{}'))
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'Not Found', message: 'Route POST:/elsewhere not found' })
  })

  it('mounts at the trigger’s basePath, colon included, when no prefix is given', async () => {
    const instance = Fastify()
    await instance.register(hookflowFastify, { trigger: trigger({}) })
    const response = await fetch(`${await serve(instance)}/api/webhook:trigger/echo`, post('{"a":1}'))
    expect([response.status, await response.json()]).toEqual([200, { got: { a: 1 } }])
  })

  it('gives Fastify’s 404 to a path a colon prefix, read as a parameter, lets in but the trigger does not own', async () => {
    const instance = Fastify()
    await instance.register(hookflowFastify, { trigger: trigger({}), prefix: '/api/webhook:trigger' })
    const response = await fetch(`${await serve(instance)}/api/webhookXYZ/echo`, post('{}'))
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ message: 'Route POST:/api/webhookXYZ/echo not found' })
  })

  describe('below the prefix', () => {
    async function mounted(): Promise<string> {
      const hooks = trigger()
      engine!.register({ key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] })
      engine!.register({ key: 'off', enabled: false, trigger: { type: 'webhook', id: 'off' }, nodes: [] })
      const instance = Fastify()
      await instance.register(hookflowFastify, { trigger: hooks, prefix: '/hooks' })
      return serve(instance)
    }

    it('gives Fastify’s own 404 to a path no route of the trigger can match', async () => {
      const origin = await mounted()
      for (const path of ['/hooks/not/a/webhook/path', '/hooks/orders/1/items', '/hooks']) {
        const response = await fetch(`${origin}${path}`, post('{}'))
        expect([response.status, await response.json()], path).toEqual([404, { statusCode: 404, error: 'Not Found', message: `Route POST:${path} not found` }])
      }
      expect(await engine!.listExecutions()).toHaveLength(0)
    })

    it('answers a well-formed webhook path with an unknown or disabled id with the core’s JSON 404', async () => {
      const origin = await mounted()
      for (const path of ['/hooks/no-such-id', '/hooks/off']) {
        const response = await fetch(`${origin}${path}`, post('{}'))
        expect([response.status, await response.json()], path).toEqual([404, { error: { code: 'not_found', message: expect.any(String) } }])
      }
    })

    it('serves a custom trigger.path pattern below the prefix', async () => {
      const response = await fetch(`${await mounted()}/hooks/orders/A-42`, post('{}'))
      expect(response.status).toBe(200)
      expect(response.headers.get('x-execution-id')).toMatch(/\S/)
    })
  })

  it('refuses a prefix that is not the trigger’s basePath', async () => {
    app = Fastify()
    await expect(app.register(hookflowFastify, { trigger: trigger(), prefix: '/webhooks' })).rejects.toThrow(
      'the plugin\'s prefix "/webhooks" must equal the trigger\'s basePath "/hooks"',
    )
  })

  it('leaves the app’s JSON parser in place on the app’s other routes', async () => {
    const instance = Fastify()
    await instance.register(hookflowFastify, { trigger: trigger(), prefix: '/hooks' })
    instance.post('/api/items', async (request) => ({ parsed: request.body }))
    const response = await fetch(`${await serve(instance)}/api/items`, post('{"n":2}'))
    expect(await response.json()).toEqual({ parsed: { n: 2 } })
  })

  it('lets the core’s body limit decide, not Fastify’s bodyLimit', async () => {
    const instance = Fastify({ bodyLimit: 1024 })
    await instance.register(hookflowFastify, { trigger: trigger(), prefix: '/hooks' })
    const big = JSON.stringify({ pad: 'x'.repeat(10_000) })
    const response = await fetch(`${await serve(instance)}/hooks/echo`, post(big))
    expect(response.status).toBe(200)
    expect(((await response.json()) as { got: { pad: string } }).got.pad).toHaveLength(10_000)
  })

  it('keeps the headers an app onRequest hook set, with the core’s winning on a clash', async () => {
    const instance = Fastify()
    instance.addHook('onRequest', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*')
      reply.header('content-type', 'text/html')
    })
    await instance.register(hookflowFastify, { trigger: trigger(), prefix: '/hooks' })
    const response = await fetch(`${await serve(instance)}/hooks/echo`, post('{}'))
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  })
})
