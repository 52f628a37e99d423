import { describe, it, expect } from 'vitest'
import { createEngine } from '../../src/index.js'
import { echoNode, runToEnd, workflow } from './helpers.js'

// Registering the same key again replaces the workflow, so one engine serves every test.
const engine = createEngine({ nodeTypes: [echoNode] })

async function rendered(config: Record<string, unknown>, context: Parameters<typeof runToEnd>[2] = {}): Promise<unknown> {
  // Templates read only declared headers.
  engine.register(workflow('w', [{ key: 'echo', type: 'test.echo', config }], { trigger: { type: 'webhook', id: 'id-w', request: { headers: [{ key: 'x-request-id' }] } } }))
  const execution = await runToEnd(engine, 'w', context)
  expect(execution.status).toBe('resolved')
  return execution.jobs[0]?.result
}

describe('templates in a node config', () => {
  it('reads $context.body, headers, query and params', async () => {
    const config = {
      id: '{{$context.body.order.id}}',
      request: '{{$context.headers.x-request-id}}',
      q: '{{$context.query.q}}',
      param: '{{$context.params.id}}',
    }
    const context = { body: { order: { id: 'o-1' } }, headers: { 'x-request-id': 'r-9' }, query: { q: 'search' }, params: { id: '42' } }
    expect(await rendered(config, context)).toEqual({ id: 'o-1', request: 'r-9', q: 'search', param: '42' })
  })

  it('keeps a number a number when the string is exactly one template', async () => {
    expect(await rendered({ amount: '{{$context.body.amount}}' }, { body: { amount: 1200 } })).toEqual({ amount: 1200 })
  })

  it('keeps booleans, null, objects and arrays from a whole-value template', async () => {
    const body = { yes: true, none: null, obj: { a: 1 }, list: [1, 'two'] }
    const config = { yes: '{{$context.body.yes}}', none: '{{$context.body.none}}', obj: '{{$context.body.obj}}', list: '{{$context.body.list}}' }
    expect(await rendered(config, { body })).toEqual(body)
  })

  it('tolerates spaces inside the braces of a whole-value template', async () => {
    expect(await rendered({ amount: '{{ $context.body.amount }}' }, { body: { amount: 5 } })).toEqual({ amount: 5 })
  })

  it('interpolates a mixed string, turning null into an empty string', async () => {
    expect(await rendered({ text: 'id=[{{$context.body.id}}] n={{$context.body.n}}' }, { body: { id: null, n: 3 } })).toEqual({ text: 'id=[] n=3' })
  })

  it('interpolates a missing value as an empty string', async () => {
    expect(await rendered({ text: 'x={{$context.body.missing.deep}};' }, { body: {} })).toEqual({ text: 'x=;' })
  })

  it('renders a missing whole-value template as undefined, not as a string', async () => {
    const result = (await rendered({ v: '{{$context.body.missing}}' }, { body: {} })) as Record<string, unknown>
    expect(result.v).toBeUndefined()
  })

  it('renders templates in object keys', async () => {
    expect(await rendered({ '{{$context.body.name}}': 'value', 'k-{{$context.body.n}}': 1 }, { body: { name: 'dynamic', n: 2 } })).toEqual({ dynamic: 'value', 'k-2': 1 })
  })

  it('renders templates inside arrays', async () => {
    expect(await rendered({ list: ['{{$context.body.a}}', 'b={{$context.body.b}}', 3, { c: '{{$context.body.c}}' }] }, { body: { a: 1, b: 2, c: [3] } })).toEqual({ list: [1, 'b=2', 3, { c: [3] }] })
  })

  it('reads array items by index', async () => {
    expect(await rendered({ sku: '{{$context.body.items[1].sku}}' }, { body: { items: [{ sku: 'x' }, { sku: 'y' }] } })).toEqual({ sku: 'y' })
  })

  it('does not read inherited properties such as toString', async () => {
    const result = (await rendered({ v: '{{$context.body.toString}}', len: '{{$context.body.name.length}}' }, { body: { name: 'abc' } })) as Record<string, unknown>
    expect(result.v).toBeUndefined()
    expect(result.len).toBeUndefined()
  })

  it('drops an object key that renders to __proto__ instead of changing the prototype', async () => {
    const result = (await rendered({ '{{$context.body.k}}': { polluted: true } }, { body: { k: '__proto__' } })) as Record<string, unknown>
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect((result as { polluted?: unknown }).polluted).toBeUndefined()
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it('leaves a config without templates as it is', async () => {
    expect(await rendered({ a: 1, b: ['x', { c: null }] })).toEqual({ a: 1, b: ['x', { c: null }] })
  })
})
