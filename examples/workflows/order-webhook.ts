/**
 * A sync order webhook built from eight node types: it reshapes the order (`json-query`),
 * reserves stock at an inventory service (`request`), totals the lines (`calculation`),
 * sets shipping (`variable`, free from 100 by a `condition`), scores fraud in code (`code`),
 * routes the outcome (`multi-conditions`) and answers (`response`).
 */
import { defineWorkflow, type CodeFunction, type WorkflowDefinition } from '../../src/index.js'

/** Registered in code, referenced from the definition by name: `createEngine({ functions: { fraudScore } })`. */
export const fraudScore: CodeFunction = ({ args }) => {
  const email = String(args.email ?? '')
  const total = Number(args.total ?? 0)
  let score = 10
  if (/@(?:mailinator|tempmail)\./i.test(email)) score += 70
  if (total > 1000) score += 20
  return { score, reason: score >= 70 ? 'disposable email' : 'ok' }
}

export function orderWebhook(inventoryUrl: string): WorkflowDefinition {
  return defineWorkflow({
    key: 'order-webhook',
    title: 'Order webhook',
    sync: true,
    options: { timeout: 10_000 },
    trigger: { type: 'webhook', id: 'orders-3kq9', basicAuthentication: { username: 'shop', password: 'order-secret' } },
    nodes: [
      {
        key: 'order', type: 'json-query',
        config: {
          source: '{{$context.body}}',
          mapping: { id: 'id', email: 'customer.email', lines: { from: 'items', each: { sku: 'sku', qty: 'quantity' } } },
        },
      },
      {
        key: 'stock', type: 'request',
        config: {
          method: 'POST', url: `${inventoryUrl}/reserve`, timeout: 3000, onlyData: true,
          headers: [{ name: 'x-order-id', value: '{{$jobsMapByNodeKey.order.id}}' }],
          data: { orderId: '{{$jobsMapByNodeKey.order.id}}', lines: '{{$jobsMapByNodeKey.order.lines}}' },
        },
      },
      {
        key: 'priced', type: 'json-query',
        config: { source: '{{$jobsMapByNodeKey.stock}}', mapping: { lineTotals: { from: 'lines', each: 'lineTotal' }, missing: { from: 'missing', each: '.' } } },
      },
      {
        key: 'subtotal', type: 'calculation',
        config: { expression: 'round(sum(lineTotals), 2)', variables: { lineTotals: '{{$jobsMapByNodeKey.priced.lineTotals}}' } },
      },
      { key: 'shipping', type: 'variable', config: { value: 4.9 } },
      {
        key: 'freeShipping', type: 'condition',
        config: { rejectOnFalse: false, calculation: { calculator: 'gte', operands: ['{{$jobsMapByNodeKey.subtotal}}', 100] } },
        branches: { true: [{ key: 'noShipping', type: 'variable', config: { target: 'shipping', value: 0 } }] },
      },
      { key: 'risk', type: 'code', config: { function: 'fraudScore', args: { email: '{{$jobsMapByNodeKey.order.email}}', total: '{{$jobsMapByNodeKey.subtotal}}' } } },
      {
        key: 'outcome', type: 'multi-conditions',
        config: {
          conditions: [
            { key: 'outOfStock', calculation: { calculator: 'notEqual', operands: ['{{$jobsMapByNodeKey.stock.available}}', true] } },
            { key: 'review', calculation: { calculator: 'gte', operands: ['{{$jobsMapByNodeKey.risk.score}}', 70] } },
          ],
        },
        branches: {
          outOfStock: [{ key: 'soldOut', type: 'response', config: { statusCode: 409, body: { error: 'out_of_stock', missing: '{{$jobsMapByNodeKey.priced.missing}}' } } }],
          review: [{ key: 'held', type: 'response', config: { statusCode: 202, body: { orderId: '{{$jobsMapByNodeKey.order.id}}', status: 'held for review', reason: '{{$jobsMapByNodeKey.risk.reason}}' } } }],
        },
      },
      {
        key: 'total', type: 'calculation',
        config: { expression: 'round(subtotal + shipping, 2)', variables: { subtotal: '{{$jobsMapByNodeKey.subtotal}}', shipping: '{{$jobsMapByNodeKey.shipping}}' } },
      },
      {
        key: 'confirm', type: 'response',
        config: {
          statusCode: 200,
          headers: [{ name: 'x-reservation', value: '{{$jobsMapByNodeKey.stock.reservationId}}' }],
          body: {
            orderId: '{{$jobsMapByNodeKey.order.id}}',
            subtotal: '{{$jobsMapByNodeKey.subtotal}}',
            shipping: '{{$jobsMapByNodeKey.shipping}}',
            total: '{{$jobsMapByNodeKey.total}}',
          },
        },
      },
    ],
  })
}
