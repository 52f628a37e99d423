/**
 * An async workflow: the sender gets `202 accepted` as soon as the delivery is stored, and the
 * nodes run in the background. `notify` is a custom node type (see `notify-node.ts`).
 */
import { defineWorkflow } from '../../src/index.js'
import type { notifyNode } from './notify-node.js'

// The custom node type in the type argument: its `notify` nodes are checked against its config.
export const orderNotification = defineWorkflow<typeof notifyNode>({
  key: 'order-notification',
  title: 'Order notification',
  trigger: {
    type: 'webhook',
    id: 'orders-7f3k2',
    request: { headers: [{ key: 'x-request-id' }], query: [{ key: 'source' }] },
    response: {
      statusCode: 202,
      headers: [{ name: 'x-order', value: '{{$context.body.order.id}}' }],
      body: 'accepted',
    },
  },
  nodes: [
    {
      key: 'paid',
      type: 'condition',
      config: {
        calculation: {
          group: {
            type: 'or',
            calculations: [
              { calculator: 'equal', operands: ['{{$context.body.order.status}}', 'paid'] },
              { calculator: 'equal', operands: ['{{$context.body.order.status}}', 'settled'] },
            ],
          },
        },
      },
      branches: {
        true: [{ key: 'tell', type: 'notify', config: { channel: '#orders', text: 'Order {{$context.body.order.id}} is paid' } }],
      },
    },
    { key: 'done', type: 'end', config: { endStatus: 'resolved' } },
  ],
})
