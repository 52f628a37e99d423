/**
 * A sync workflow: a payment provider calls back, a condition on the amount picks one of two
 * Response nodes, and the provider gets that answer. Basic auth guards the URL.
 */
import { defineWorkflow } from '../../src/index.js'

export const paymentCallback = defineWorkflow({
  key: 'payment-callback',
  title: 'Payment callback',
  sync: true,
  trigger: {
    type: 'webhook',
    id: '1hfmkioou0d',
    methods: ['POST'],
    basicAuthentication: { username: 'webhook', password: 'secret' },
    request: {
      headers: [{ key: 'x-request-id' }],
      body: [{ key: 'amount' }, { key: 'id', alias: 'Payment id' }],
    },
    timeout: 10_000,
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
        true: [
          {
            key: 'ok',
            type: 'response',
            config: {
              statusCode: 200,
              headers: [{ name: 'x-request-id', value: '{{$context.headers.x-request-id}}' }],
              body: { ok: true, id: '{{$context.body.id}}' },
            },
          },
        ],
        false: [{ key: 'bad', type: 'response', config: { statusCode: 400, body: { ok: false, reason: 'amount too small' } } }],
      },
    },
  ],
})
