import { describe, expect, it } from 'vitest'
import { problemPaths } from '../engine/helpers.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

const order = {
  id: 'o-1',
  customer: { name: 'Ada', email: 'ada@example.com' },
  shipping: { address: { city: 'Lyon' } },
  items: [
    { sku: 'A', quantity: 2, price: 5 },
    { sku: 'B', quantity: 1, price: 12.5 },
  ],
}

describe('json-query node', () => {
  it('picks, renames and reshapes the source into a new object', async () => {
    const { engine, trigger } = setup([
      syncFlow('q', [
        {
          key: 'shape',
          type: 'json-query',
          config: {
            source: '{{$context.body}}',
            mapping: {
              orderId: 'id',
              buyer: { name: 'customer.name', contact: 'customer.email' },
              city: { path: 'shipping.address.city', default: 'unknown' },
              country: { path: 'shipping.address.country', default: 'FR' },
              phone: 'customer.phone',
              source: { value: 'webhook' },
              lines: { from: 'items', each: { sku: 'sku', qty: 'quantity' } },
              skus: { from: 'items', each: 'sku' },
              firstPrice: 'items[0].price',
              pair: ['id', 'customer.name'],
            },
          },
        },
        answer('{{$jobsMapByNodeKey.shape}}'),
      ]),
    ])
    const { body, execution } = await callFlow(engine, trigger, 'q', order)
    expect(body).toEqual({
      orderId: 'o-1',
      buyer: { name: 'Ada', contact: 'ada@example.com' },
      city: 'Lyon',
      country: 'FR',
      phone: null,
      source: 'webhook',
      lines: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }],
      skus: ['A', 'B'],
      firstPrice: 5,
      pair: ['o-1', 'Ada'],
    })
    expect(jobOf(execution, 'shape').result).toEqual(body)
  })

  it('maps a missing list to [] and returns the source itself without a mapping', async () => {
    const { engine, trigger } = setup([
      syncFlow('q', [
        { key: 'none', type: 'json-query', config: { source: '{{$context.body}}', mapping: { lines: { from: 'nothing', each: 'sku' } } } },
        { key: 'same', type: 'json-query', config: { source: '{{$context.body.customer}}' } },
        answer({ none: '{{$jobsMapByNodeKey.none}}', same: '{{$jobsMapByNodeKey.same}}' }),
      ]),
    ])
    const { body } = await callFlow(engine, trigger, 'q', order)
    expect(body).toEqual({ none: { lines: [] }, same: order.customer })
  })

  it('never reads through __proto__ keys of the input', async () => {
    const { engine, trigger } = setup([
      syncFlow('q', [{ key: 'shape', type: 'json-query', config: { source: '{{$context.body}}', mapping: { x: 'a.polluted' } } }, answer('{{$jobsMapByNodeKey.shape}}')]),
    ])
    const { body } = await callFlow(engine, trigger, 'q', { a: {} })
    expect(body).toEqual({ x: null })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads and writes constructor keys as data', async () => {
    const { engine, trigger } = setup([
      syncFlow('q', [
        { key: 'shape', type: 'json-query', config: { source: '{{$context.body}}', mapping: { constructor: 'drink.constructor', missing: 'empty.constructor' } } },
        answer('{{$jobsMapByNodeKey.shape}}'),
      ]),
    ])
    const { body } = await callFlow(engine, trigger, 'q', { drink: { constructor: 'Red Bull' }, empty: {} })
    expect(body).toEqual({ constructor: 'Red Bull', missing: null })
  })

  it('refuses at register bad paths, templated paths and prototype keys', () => {
    const { engine } = setup([])
    const paths = problemPaths(engine, syncFlow('q', [
      {
        key: 'shape',
        type: 'json-query',
        config: {
          source: '{{$context.body}}',
          mapping: { ...JSON.parse('{"__proto__": "id"}'), a: 'items[', b: 'x.__proto__.y', c: '{{$context.body.p}}', d: { from: 'items', each: { e: 'a..b' } } },
        },
      },
      answer('x'),
    ]))
    expect(paths).toEqual(expect.arrayContaining([
      '/nodes/0/config/mapping/a',
      '/nodes/0/config/mapping/b',
      '/nodes/0/config/mapping/c',
      '/nodes/0/config/mapping/__proto__',
      '/nodes/0/config/mapping/d/each/e',
    ]))
  })
})
