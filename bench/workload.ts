/**
 * The benchmark's one workload, shared by every scenario: a POST with Basic auth, a ~300-byte
 * JSON body, two query parameters and an `X-Request-Id` header; a condition on a body field;
 * a Response node answering 200 (or 400) with a templated JSON body.
 */
import type { WorkflowDefinition } from '../dist/index.js'

export const USERNAME = 'webhook'
export const PASSWORD = 'secret'
export const PATH_SYNC = '/api/webhook:trigger/bench-sync'
export const PATH_ASYNC = '/api/webhook:trigger/bench-async'
export const QUERY = '?source=bench&attempt=1'

export const body = JSON.stringify({
  id: 'pay_0001',
  amount: 2500,
  currency: 'EUR',
  customer: { id: 'cus_42', email: 'ada@example.com', name: 'Ada Lovelace' },
  items: [
    { sku: 'sku-1', qty: 2, price: 1000 },
    { sku: 'sku-2', qty: 1, price: 500 },
  ],
  metadata: { order: 'ord_7', source: 'bench', note: 'lorem ipsum dolor sit amet consectetur' },
})

/** The sync workflow's answer to `body` and `headers`: every sync server must give it, byte for byte. */
export const SYNC_ANSWER = JSON.stringify({ ok: true, id: 'pay_0001', request: 'req-0001' })

export const headers = {
  authorization: `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`,
  'content-type': 'application/json',
  'x-request-id': 'req-0001',
}

// Literal types where the definition types need them; `as const` would make the arrays
// readonly, which the node config types (mutable, as JSON.parse gives them) do not accept.
const condition = {
  key: 'big',
  type: 'condition' as const,
  config: {
    rejectOnFalse: false,
    calculation: { group: { type: 'and' as const, calculations: [{ calculator: 'gt' as const, operands: ['{{$context.body.amount}}', 1000] }] } },
  },
}

const trigger = (id: string) => ({
  type: 'webhook' as const,
  id,
  basicAuthentication: { username: USERNAME, password: PASSWORD },
  request: { headers: [{ key: 'x-request-id' }] },
})

export const syncWorkflow: WorkflowDefinition = {
  key: 'bench-sync',
  sync: true,
  trigger: trigger('bench-sync'),
  nodes: [
    {
      ...condition,
      branches: {
        true: [{ key: 'ok', type: 'response', config: { statusCode: 200, body: { ok: true, id: '{{$context.body.id}}', request: '{{$context.headers.x-request-id}}' } } }],
        false: [{ key: 'bad', type: 'response', config: { statusCode: 400, body: { ok: false, id: '{{$context.body.id}}' } } }],
      },
    },
  ],
}

export const asyncWorkflow: WorkflowDefinition = {
  key: 'bench-async',
  trigger: trigger('bench-async'),
  nodes: [{ ...condition }],
}
