import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../../src/index.js'
import {
  basic,
  executionIdOf,
  expectNoExecution,
  post,
  request,
  settledExecution,
  setup,
} from '../helpers/webhook.js'

// DESIGN.md section 3, value for value (only the comments are left out).
const paymentCallback: WorkflowDefinition = {
  key: 'payment-callback',
  title: 'Payment callback',
  enabled: true,
  sync: true,
  options: { timeout: 0 },
  trigger: {
    type: 'webhook',
    id: '1hfmkioou0d',
    methods: ['POST'],
    basicAuthentication: { username: 'webhook', password: 'secret' },
    request: {
      headers: [{ key: 'x-request-id' }],
      query: [{ key: 'query[0].a', alias: 'A' }],
      body: [{ key: 'b.c', alias: 'C' }],
    },
    response: { statusCode: 200, headers: [{ name: 'content-type', value: 'text/plain' }], body: 'ok' },
    timeout: 30000,
  },
  nodes: [
    {
      key: 'big',
      type: 'condition',
      config: {
        rejectOnFalse: false,
        engine: 'basic',
        calculation: {
          group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] },
        },
      },
      branches: {
        true: [{ key: 'ok', type: 'response', config: { statusCode: 200, body: { ok: true, id: '{{$context.body.id}}' } } }],
        false: [{ key: 'bad', type: 'response', config: { statusCode: 400, body: { ok: false } } }],
      },
    },
  ],
}

const url = '/api/webhook:trigger/1hfmkioou0d'
const auth = { authorization: basic('webhook', 'secret'), 'x-request-id': 'req-1', 'x-other': 'dropped' }

describe('DESIGN.md section 3 example (payment-callback), end to end', () => {
  it('registers exactly as written', () => {
    const { engine } = setup([])
    expect(() => engine.register(paymentCallback)).not.toThrow()
  })

  it('answers 200 { ok: true, id } for an amount above 1000', async () => {
    const { engine, trigger } = setup([paymentCallback])
    const response = await trigger.fetch(post(`${url}?query[0][a]=1`, { id: 'pay_1', amount: 1500, b: { c: 3 } }, { headers: auth }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ ok: true, id: 'pay_1' })
    const execution = await settledExecution(engine, response)
    expect(execution.workflowKey).toBe('payment-callback')
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((j) => [j.nodeKey, j.type, j.status])).toEqual([
      ['big', 'condition', 'resolved'],
      ['ok', 'response', 'resolved'],
    ])
  })

  it('stores the configured header, the whole query and the whole body in $context', async () => {
    const { engine, trigger } = setup([paymentCallback])
    const response = await trigger.fetch(post(`${url}?query[0][a]=1&other=2`, { id: 'pay_1', amount: 1500, b: { c: 3 } }, { headers: auth }))
    const execution = await settledExecution(engine, response)
    expect(execution.context.headers).toEqual({ 'x-request-id': 'req-1' })
    expect(execution.context.query).toEqual({ query: [{ a: '1' }], other: '2' })
    expect(execution.context.body).toEqual({ id: 'pay_1', amount: 1500, b: { c: 3 } })
    expect(execution.context.method).toBe('POST')
  })

  it('answers 400 { ok: false } for an amount of 1000 or less', async () => {
    const { engine, trigger } = setup([paymentCallback])
    const response = await trigger.fetch(post(url, { id: 'pay_2', amount: 1000 }, { headers: auth }))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ ok: false })
    executionIdOf(response)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((j) => j.nodeKey)).toEqual(['big', 'bad'])
  })

  it('answers 401 without the configured credentials', async () => {
    const { engine, trigger } = setup([paymentCallback])
    const response = await trigger.fetch(post(url, { id: 'pay_3', amount: 1500 }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/)
    await expectNoExecution(engine)
  })

  it('answers 405 with Allow: POST for a PUT', async () => {
    const { engine, trigger } = setup([paymentCallback])
    const response = await trigger.fetch(request(url, { method: 'PUT', headers: { authorization: auth.authorization } }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
    await expectNoExecution(engine)
  })

  it('gives its URL and declared variables', () => {
    const { trigger } = setup([paymentCallback])
    expect(trigger.urlFor('payment-callback', 'https://example.com')).toBe(
      'https://example.com/api/webhook:trigger/1hfmkioou0d',
    )
    const aliases = trigger.variables('payment-callback').map((v) => [v.path, v.alias])
    expect(aliases).toEqual(
      expect.arrayContaining([
        ['$context.headers.x-request-id', undefined],
        ['$context.query.query[0].a', 'A'],
        ['$context.body.b.c', 'C'],
      ]),
    )
  })
})
