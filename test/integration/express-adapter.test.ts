import http from 'node:http'
import express, { type Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine, WebhookTrigger } from '../../src/index.js'
import { handle } from '../../src/adapters/express/index.js'
import { listen, type MountedServer } from '../../src/testing/index.js'

// What only Express has: body parsers that may run before the mount, and next().

let server: MountedServer | undefined
let engine: Engine | undefined

afterEach(async () => {
  await server?.close()
  await engine?.close()
  server = engine = undefined
})

function trigger(): WebhookTrigger {
  engine = createEngine()
  engine.register({
    key: 'echo',
    sync: true,
    trigger: { type: 'webhook', id: 'echo' },
    nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { got: '{{$context.body}}' } } }],
  })
  return new WebhookTrigger({ engine, basePath: '/hooks' })
}

async function serve(app: Express): Promise<string> {
  server = await listen(http.createServer(app))
  return server.url
}

const post = (body: string, type = 'application/json'): RequestInit => ({ method: 'POST', headers: { 'content-type': type }, body })

describe('hookflow/express', () => {
  it('answers 500 body_already_parsed, naming the fix, behind express.json()', async () => {
    const reported: unknown[] = []
    const app = express()
    app.use(express.json())
    app.use('/hooks', handle(trigger(), { onError: (error) => reported.push(error) }))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('{"a":1}'))
    expect(response.status).toBe(500)
    const { error } = (await response.json()) as { error: { code: string; message: string } }
    expect(error.code).toBe('body_already_parsed')
    expect(error.message).toMatch(/before express\.json\(\)/)
    expect(error.message).toContain("express.raw({ type: '*/*' })")
    expect(reported).toHaveLength(1)
    expect(await engine!.listExecutions()).toHaveLength(0)
  })

  it('takes the Buffer express.raw() left in req.body as the raw body', async () => {
    const app = express()
    app.use(express.raw({ type: '*/*' }))
    app.use('/hooks', handle(trigger()))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('{"a":[1,2],"b":"ü"}'))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ got: { a: [1, 2], b: 'ü' } })
  })

  it('takes the string express.text() left in req.body as the raw body', async () => {
    const app = express()
    app.use(express.text({ type: 'application/json' }))
    app.use('/hooks', handle(trigger()))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('{"text":true}'))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ got: { text: true } })
  })

  it('still refuses a body express.raw() read when its type is not JSON', async () => {
    const app = express()
    app.use(express.raw({ type: '*/*' }))
    app.use('/hooks', handle(trigger()))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('hello', 'text/plain'))
    expect(response.status).toBe(415)
  })

  it('streams the body when a parser set req.body = {} without reading it, as Express 4 does', async () => {
    const app = express()
    app.use((req, _res, next) => {
      req.body = {}
      next()
    })
    app.use('/hooks', handle(trigger()))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('{"streamed":1}'))
    expect(await response.json()).toEqual({ got: { streamed: 1 } })
  })

  it('passes a path outside the trigger’s basePath on to next(), so the app’s 404 answers', async () => {
    const app = express()
    app.use(handle(trigger()))
    app.use((_req, res) => void res.status(404).send('the app’s own 404'))
    const response = await fetch(`${await serve(app)}/elsewhere`, post('{}'))
    expect([response.status, await response.text()]).toEqual([404, 'the app’s own 404'])
  })

  describe('below the mount', () => {
    async function mounted(): Promise<string> {
      const hooks = trigger()
      engine!.register({ key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] })
      engine!.register({ key: 'off', enabled: false, trigger: { type: 'webhook', id: 'off' }, nodes: [] })
      const app = express()
      app.use('/hooks', handle(hooks))
      app.use((req, res) => void res.status(404).type('text/plain').send(`next() reached for ${req.originalUrl}`))
      return serve(app)
    }

    it('passes a path no route of the trigger can match on to next()', async () => {
      const origin = await mounted()
      for (const path of ['/hooks/not/a/webhook/path', '/hooks/orders/1/items', '/hooks']) {
        const response = await fetch(`${origin}${path}?x=1`, post('{}'))
        expect([response.status, await response.text()], path).toEqual([404, `next() reached for ${path}?x=1`])
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

    it('serves a custom trigger.path pattern below the mount', async () => {
      const response = await fetch(`${await mounted()}/hooks/orders/A-42`, post('{}'))
      expect(response.status).toBe(200)
      expect(response.headers.get('x-execution-id')).toMatch(/\S/)
    })
  })

  it('leaves the body to the app’s own parser on the app’s other routes', async () => {
    const app = express()
    app.use('/hooks', handle(trigger()))
    app.use(express.json())
    app.post('/api/items', (req, res) => void res.json({ parsed: req.body }))
    const response = await fetch(`${await serve(app)}/api/items`, post('{"n":2}'))
    expect(await response.json()).toEqual({ parsed: { n: 2 } })
  })

  it('keeps the headers earlier middleware set, with the core’s winning on a clash', async () => {
    const app = express()
    app.use((_req, res, next) => {
      res.setHeader('x-frame-options', 'DENY')
      res.setHeader('content-type', 'text/html')
      next()
    })
    app.use('/hooks', handle(trigger()))
    const response = await fetch(`${await serve(app)}/hooks/echo`, post('{}'))
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  })
})
