import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../../src/index.js'
import { expectErrorBody, expectNoExecution, idPath, ORIGIN, post, settledExecution, setup } from '../helpers/webhook.js'

const withHeaders: WorkflowDefinition = {
  key: 'ctx',
  trigger: {
    type: 'webhook',
    id: 'ctx',
    request: {
      headers: [{ key: 'X-Request-Id' }, { key: 'x-signature' }, { key: 'Authorization' }, { key: 'cookie' }],
    },
  },
  nodes: [],
}

describe('WebhookTrigger $context', () => {
  it('stores only the configured headers, lower-cased', async () => {
    const { engine, trigger } = setup([withHeaders])
    const response = await trigger.fetch(
      post(idPath('ctx'), {}, { headers: { 'X-Request-Id': 'r-1', 'X-Signature': 'sig', 'X-Other': 'nope', 'user-agent': 'test' } }),
    )
    const execution = await settledExecution(engine, response)
    expect(execution.context.headers).toEqual({ 'x-request-id': 'r-1', 'x-signature': 'sig' })
  })

  it('never stores authorization or cookie, even when configured', async () => {
    const { engine, trigger } = setup([withHeaders])
    const response = await trigger.fetch(
      post(idPath('ctx'), {}, { headers: { authorization: 'Bearer t0ken', cookie: 'session=abc', 'x-request-id': 'r-2' } }),
    )
    const execution = await settledExecution(engine, response)
    expect(execution.context.headers).toEqual({ 'x-request-id': 'r-2' })
    expect(JSON.stringify(execution.context)).not.toContain('t0ken')
    expect(JSON.stringify(execution.context)).not.toContain('session=abc')
  })

  it('stores no headers when none are configured', async () => {
    const { engine, trigger } = setup([{ key: 'bare', trigger: { type: 'webhook', id: 'bare' }, nodes: [] }])
    const response = await trigger.fetch(post(idPath('bare'), {}, { headers: { 'x-request-id': 'r-3' } }))
    const execution = await settledExecution(engine, response)
    expect(execution.context.headers).toEqual({})
  })

  it('parses the query with qs into nested values', async () => {
    const { engine, trigger } = setup([withHeaders])
    const response = await trigger.fetch(post(`${idPath('ctx')}?a[b]=1&list[]=x&list[]=y&plain=z`, {}))
    const execution = await settledExecution(engine, response)
    expect(execution.context.query).toEqual({ a: { b: '1' }, list: ['x', 'y'], plain: 'z' })
  })

  it('refuses a __proto__ query key with 400, touching no prototype', async () => {
    const { engine, trigger } = setup([withHeaders])
    const response = await trigger.fetch(post(`${idPath('ctx')}?__proto__[polluted]=1&ok=1`, {}))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'forbidden_query_key')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await expectNoExecution(engine)
  })

  it('holds the whole parsed body and the method', async () => {
    const { engine, trigger } = setup([withHeaders])
    const response = await trigger.fetch(post(idPath('ctx'), { a: { b: [1, { c: 2 }] } }))
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ a: { b: [1, { c: 2 }] } })
    expect(execution.context.method).toBe('POST')
    expect(execution.context.params).toEqual({})
  })
})

describe('WebhookTrigger urlFor, variables and detached fetch', () => {
  const definition: WorkflowDefinition = {
    key: 'payment-callback',
    trigger: {
      type: 'webhook',
      id: '1hfmkioou0d',
      request: {
        headers: [{ key: 'X-Request-Id' }],
        query: [{ key: 'query[0].a', alias: 'A' }],
        body: [{ key: 'b.c', alias: 'C' }],
      },
    },
    nodes: [],
  }

  it('builds the webhook URL with urlFor(key, origin)', () => {
    const { trigger } = setup([definition])
    expect(trigger.urlFor('payment-callback', 'https://example.com')).toBe(
      'https://example.com/api/webhook:trigger/1hfmkioou0d',
    )
  })

  it('builds the webhook URL under a custom base path', () => {
    const { trigger } = setup([definition], { trigger: { basePath: '/hooks' } })
    expect(trigger.urlFor('payment-callback', 'https://example.com/')).toBe('https://example.com/hooks/1hfmkioou0d')
  })

  it('builds a URL that the trigger itself routes to the workflow', async () => {
    const { engine, trigger } = setup([definition])
    const url = trigger.urlFor('payment-callback', ORIGIN)
    const response = await trigger.fetch(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
    expect(response.status).toBe(200)
    expect((await settledExecution(engine, response)).workflowKey).toBe('payment-callback')
  })

  it('builds the URL of a trigger.path pattern from params', () => {
    const { trigger } = setup([{ key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] }])
    expect(trigger.urlFor('orders', 'https://example.com', { orderId: '42' })).toBe(
      'https://example.com/api/webhook:trigger/orders/42',
    )
  })

  it('generates a trigger id when none is given and urlFor uses it', async () => {
    const { engine, trigger } = setup([{ key: 'anon', trigger: { type: 'webhook' }, nodes: [] }])
    const url = trigger.urlFor('anon', ORIGIN)
    const id = url.slice(`${ORIGIN}/api/webhook:trigger/`.length)
    // >= 128 random bits: at least 22 base64url characters or 32 hex characters.
    expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/)
    const response = await trigger.fetch(new Request(url, { method: 'POST' }))
    expect(response.status).toBe(200)
    await settledExecution(engine, response)
  })

  it('lists the declared variables with their aliases', () => {
    const { trigger } = setup([definition])
    const variables = trigger.variables('payment-callback')
    expect(variables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'headers', key: 'x-request-id', path: '$context.headers.x-request-id' }),
        expect.objectContaining({ source: 'query', key: 'query[0].a', alias: 'A', path: '$context.query.query[0].a' }),
        expect.objectContaining({ source: 'body', key: 'b.c', alias: 'C', path: '$context.body.b.c', template: '{{$context.body.b.c}}' }),
      ]),
    )
    expect(variables).toHaveLength(3)
  })

  it('lists path params as variables', () => {
    const { trigger } = setup([{ key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] }])
    expect(trigger.variables('orders')).toEqual([
      expect.objectContaining({ source: 'params', key: 'orderId', path: '$context.params.orderId' }),
    ])
  })

  it('works detached: const { fetch } = trigger', async () => {
    const { engine, trigger } = setup([definition])
    const { fetch } = trigger
    const response = await fetch(post(idPath('1hfmkioou0d'), { b: { c: 1 } }))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('routes a workflow registered after the trigger was created', async () => {
    const { engine, trigger } = setup([])
    const first = await trigger.fetch(post(idPath('late'), {}))
    expect(first.status).toBe(404)
    engine.register({ key: 'late', trigger: { type: 'webhook', id: 'late' }, nodes: [] })
    const second = await trigger.fetch(post(idPath('late'), {}))
    expect(second.status).toBe(200)
    await settledExecution(engine, second)
  })
})
