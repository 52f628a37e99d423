import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../../src/index.js'
import {
  expectErrorBody,
  expectNoExecution,
  idPath,
  post,
  request,
  settledExecution,
  setup,
} from '../helpers/webhook.js'

const hello: WorkflowDefinition = { key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] }

describe('WebhookTrigger routing (404)', () => {
  it('answers 404 for an unknown id', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(idPath('nope'), { a: 1 }))
    expect(response.status).toBe(404)
    await expectErrorBody(response, 'not_found')
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 404 for a disabled workflow', async () => {
    const { engine, trigger } = setup([{ ...hello, enabled: false }])
    const response = await trigger.fetch(post(idPath('hello'), { a: 1 }))
    expect(response.status).toBe(404)
    await expectErrorBody(response, 'not_found')
    await expectNoExecution(engine)
  })

  it('answers 404 for a disabled workflow with a custom trigger.path', async () => {
    const { engine, trigger } = setup([
      { key: 'orders', enabled: false, trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] },
    ])
    const response = await trigger.fetch(post('/api/webhook:trigger/orders/1', { a: 1 }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })

  it('answers 404 once a workflow is re-registered as disabled', async () => {
    const { engine, trigger } = setup([hello])
    expect((await trigger.fetch(post(idPath('hello'), {}))).status).toBe(200)
    await engine.idle()
    engine.register({ ...hello, enabled: false })
    const response = await trigger.fetch(post(idPath('hello'), {}))
    expect(response.status).toBe(404)
    await engine.idle()
    expect(await engine.listExecutions()).toHaveLength(1)
  })

  it('answers 404 for a path outside the base path', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post('/api/other/hello', { a: 1 }))
    expect(response.status).toBe(404)
    await expectErrorBody(response, 'not_found')
    await expectNoExecution(engine)
  })

  it('answers 404 for a path that only starts with the base path text', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post('/api/webhook:triggerX/hello', { a: 1 }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })

  it('runs a workflow under the default base path /api/webhook:trigger/<id>', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post('/api/webhook:trigger/hello', { a: 1 }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.workflowKey).toBe('hello')
    expect(execution.status).toBe('resolved')
  })

  it('matches the : of the default base path literally, not as a parameter', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post('/api/webhookXtrigger/hello', { a: 1 }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })

  it('answers 404 under /api/webhook:trigger when a custom base path is set', async () => {
    const { engine, trigger } = setup([hello], { trigger: { basePath: '/hooks' } })
    const response = await trigger.fetch(post('/api/webhook:trigger/hello', { a: 1 }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })

  it('runs a workflow under a custom base path', async () => {
    const { engine, trigger } = setup([hello], { trigger: { basePath: '/hooks/v1' } })
    const response = await trigger.fetch(post('/hooks/v1/hello', { a: 1 }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('hands the params of a custom trigger.path pattern to $context.params', async () => {
    const { engine, trigger } = setup([
      {
        key: 'orders',
        sync: true,
        trigger: { type: 'webhook', path: '/orders/:orderId' },
        nodes: [
          { key: 'reply', type: 'response', config: { statusCode: 200, body: { orderId: '{{$context.params.orderId}}' } } },
        ],
      },
    ])
    const response = await trigger.fetch(post('/api/webhook:trigger/orders/A-42', { a: 1 }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ orderId: 'A-42' })
    const execution = await settledExecution(engine, response)
    expect(execution.context.params).toEqual({ orderId: 'A-42' })
  })

  it('answers 404 for a path the custom trigger.path pattern does not match', async () => {
    const { engine, trigger } = setup([
      { key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] },
    ])
    const response = await trigger.fetch(post('/api/webhook:trigger/orders/A-42/items', { a: 1 }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })
})

describe('trigger.handles: the paths a route of the trigger can match', () => {
  const orders: WorkflowDefinition = { key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] }
  const archived: WorkflowDefinition = { key: 'archived', enabled: false, trigger: { type: 'webhook', path: '/archive/:year/:id' }, nodes: [] }
  const off: WorkflowDefinition = { key: 'off', enabled: false, trigger: { type: 'webhook', id: 'off' }, nodes: [] }

  it('holds for <basePath>/<id> with any well-formed id: registered, unknown or disabled, with or without a trailing slash', () => {
    const { trigger } = setup([hello, off])
    expect(['hello', 'no-such-id', 'off', 'hello/'].map((id) => trigger.handles(idPath(id)))).toEqual([true, true, true, true])
  })

  it('holds for the paths of a registered trigger.path pattern, the pattern of a disabled workflow too', () => {
    const { trigger } = setup([orders, archived])
    expect(trigger.handles('/api/webhook:trigger/orders/A-42')).toBe(true)
    expect(trigger.handles('/api/webhook:trigger/archive/2024/7')).toBe(true)
  })

  it('is false for a path under basePath that no route can match', () => {
    const { trigger } = setup([hello, orders])
    const paths = ['/not/a/webhook/path', '/orders/A-42/items', '/hello/extra', '/bad%20id', `/${'x'.repeat(129)}`, '', '/']
    expect(paths.map((rest) => trigger.handles(`/api/webhook:trigger${rest}`))).toEqual(paths.map(() => false))
  })

  it('is false outside basePath, and for a path that only starts with its text', () => {
    const { trigger } = setup([hello])
    expect([trigger.handles('/elsewhere/hello'), trigger.handles('/api/webhook:triggerX/hello')]).toEqual([false, false])
  })

  it('follows registration: a pattern registered later is handled at once', () => {
    const { engine, trigger } = setup([hello])
    expect(trigger.handles('/api/webhook:trigger/orders/1')).toBe(false)
    engine.register(orders)
    expect(trigger.handles('/api/webhook:trigger/orders/1')).toBe(true)
  })

  it('still answers a path it does not handle with the JSON 404 when fetch is called directly', async () => {
    const { trigger } = setup([hello])
    const response = await trigger.fetch(post('/api/webhook:trigger/not/a/webhook/path', {}))
    expect(response.status).toBe(404)
    await expectErrorBody(response, 'not_found')
  })
})

describe('WebhookTrigger methods (405)', () => {
  it('answers 405 with Allow: POST for a GET by default', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(request(idPath('hello'), { method: 'GET' }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    await expectErrorBody(response, 'method_not_allowed')
    await expectNoExecution(engine)
  })

  it('answers 405 with Allow listing every configured method for a DELETE', async () => {
    const { engine, trigger } = setup([{ ...hello, trigger: { ...hello.trigger, methods: ['POST', 'PUT'] } }])
    const response = await trigger.fetch(request(idPath('hello'), { method: 'DELETE' }))
    expect(response.status).toBe(405)
    const allow = response.headers.get('allow')!.split(',').map((m) => m.trim())
    expect(allow).toEqual(['POST', 'PUT'])
    await expectNoExecution(engine)
  })

  it('accepts a PUT when PUT is configured', async () => {
    const { engine, trigger } = setup([{ ...hello, trigger: { ...hello.trigger, methods: ['POST', 'PUT'] } }])
    const response = await trigger.fetch(post(idPath('hello'), { a: 1 }, { method: 'PUT' }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.method).toBe('PUT')
  })

  it('runs a workflow for a GET when GET is configured', async () => {
    const { engine, trigger } = setup([{ ...hello, trigger: { ...hello.trigger, methods: ['GET'] } }])
    const response = await trigger.fetch(request(`${idPath('hello')}?q=1`, { method: 'GET' }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.context.method).toBe('GET')
    expect(execution.context.query).toEqual({ q: '1' })
    expect(execution.context.body).toEqual({})
  })

  it('answers 405 for a POST when only GET is configured', async () => {
    const { engine, trigger } = setup([{ ...hello, trigger: { ...hello.trigger, methods: ['GET'] } }])
    const response = await trigger.fetch(post(idPath('hello'), { a: 1 }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    await expectNoExecution(engine)
  })

  it('checks the route before the method: an unknown id with a GET is 404', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(request(idPath('nope'), { method: 'GET' }))
    expect(response.status).toBe(404)
    await expectNoExecution(engine)
  })
})
