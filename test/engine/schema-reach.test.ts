import { describe, expect, it } from 'vitest'
import { templatesReachSchema } from '../../src/engine/schema-reach.js'
import { createEngine, defineNode } from '../../src/index.js'
import { conditionNode } from '../../src/nodes/condition.js'

const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['r'] }

describe('templatesReachSchema', () => {
  it('is false only when every template is under a key the schema leaves free', () => {
    expect(templatesReachSchema(schema, { free: '{{$context.body}}', n: 1, deep: { x: ['{{$scopes.a}}'] } })).toBe(false)
    expect(templatesReachSchema(schema, { n: '{{$context.body.n}}' })).toBe(true)
    expect(templatesReachSchema(schema, { r: '{{$context.body.r}}' })).toBe(true)
    expect(templatesReachSchema(schema, { '{{$context.body.key}}': 1 })).toBe(true)
  })

  it('counts as reached whatever it cannot read for sure', () => {
    const free = { free: '{{$context.body}}' }
    // `additionalProperties: false` judges the key, not its value: register reports an unknown
    // key whatever it holds, so rendering has nothing left to find there.
    expect(templatesReachSchema({ ...schema, additionalProperties: false }, free)).toBe(false)
    expect(templatesReachSchema({ ...schema, additionalProperties: { type: 'string' } }, free)).toBe(true)
    expect(templatesReachSchema({ ...schema, patternProperties: { '^f': { type: 'string' } } }, free)).toBe(true)
    expect(templatesReachSchema({ ...schema, maxProperties: 1 }, free)).toBe(true)
    expect(templatesReachSchema({ $ref: 'https://example.com/other' }, free)).toBe(true)
    expect(templatesReachSchema({ $id: 'loop', $ref: 'loop', properties: { n: { type: 'integer' } } }, { n: '{{$context.body.n}}' })).toBe(true)
    expect(templatesReachSchema({ $id: 'loop', oneOf: [{ $ref: 'loop' }, { $ref: '#' }] }, free)).toBe(false)
    expect(templatesReachSchema({ properties: { list: { items: [{}, {}] } } }, { list: ['{{$context.body}}'] })).toBe(true)
    // A value-reading keyword on the way down reads what the template renders.
    expect(templatesReachSchema({ properties: { list: { uniqueItems: true } } }, { list: ['{{$context.body}}'] })).toBe(true)
    expect(templatesReachSchema({ properties: { pair: { enum: [{ a: 1 }] } } }, { pair: { a: '{{$context.body.a}}' } })).toBe(true)
    expect(templatesReachSchema({ properties: { pair: { not: { required: ['a'] } } } }, { pair: { a: '{{$context.body.a}}' } })).toBe(true)
  })

  it('follows properties, items, branches and the schema\'s own $ref down to the templated place', () => {
    expect(templatesReachSchema({ allOf: [schema] }, { free: '{{$context.body}}' })).toBe(false)
    expect(templatesReachSchema({ allOf: [schema] }, { n: '{{$context.body}}' })).toBe(true)
    expect(templatesReachSchema({ properties: {} }, { free: '{{$context.body}}' })).toBe(false)
    const list = { type: 'object', properties: { list: { type: 'array', minItems: 1, items: { type: 'object', properties: { n: { type: 'integer' } } } } } }
    expect(templatesReachSchema(list, { list: [{ free: '{{$context.body}}' }] })).toBe(false)
    expect(templatesReachSchema(list, { list: [{ n: '{{$context.body.n}}' }] })).toBe(true)
    expect(templatesReachSchema(list, { list: ['{{$context.body}}'] })).toBe(true)
    // A key some branch requires could render undefined, and so be missing.
    expect(templatesReachSchema({ anyOf: [{ required: ['a'] }, {}] }, { a: '{{$context.body.a}}' })).toBe(true)
  })

  it('lets a condition\'s operands render freely, not its calculator', () => {
    const gt = (a: unknown, calculator = 'gt') => ({ calculator, operands: [a, 1000] })
    expect(templatesReachSchema(conditionNode.configSchema, { calculation: gt('{{$context.body.amount}}') })).toBe(false)
    const nested = { group: { type: 'and', calculations: [{ group: { type: 'or', calculations: [gt('{{$context.body.amount}}')] } }] } }
    expect(templatesReachSchema(conditionNode.configSchema, { calculation: nested })).toBe(false)
    expect(templatesReachSchema(conditionNode.configSchema, { calculation: gt(1, '{{$context.body.op}}') })).toBe(true)
    expect(templatesReachSchema(conditionNode.configSchema, { calculation: { group: { type: '{{$context.body.t}}', calculations: [] } } })).toBe(true)
    expect(templatesReachSchema(conditionNode.configSchema, { calculation: gt(1), rejectOnFalse: '{{$context.body.r}}' })).toBe(true)
  })
})

describe('rendered configs', () => {
  const engine = createEngine({
    nodeTypes: [defineNode({ type: 'typed', configSchema: { type: 'object', properties: { n: { type: 'integer' } } }, run: ({ config }) => config })],
  })

  it('are still checked where a template reaches the schema', async () => {
    engine.register({ key: 'reach', sync: true, trigger: { type: 'webhook', id: 'reach' }, nodes: [{ key: 't', type: 'typed', config: { n: '{{$context.body.n}}' } }] })
    const execution = await engine.trigger('reach', { body: { n: 'not a number' } })
    await engine.idle()
    const stored = await engine.getExecution(execution.id)
    expect(stored?.status).toBe('error')
    expect(stored?.jobs[0]?.error?.message).toMatch(/Rendered config of node "t"/)
  })

  it('run as rendered where every template is under a free key', async () => {
    engine.register({ key: 'free', sync: true, trigger: { type: 'webhook', id: 'free' }, nodes: [{ key: 't', type: 'typed', config: { n: 1, free: '{{$context.body.x}}' } }] })
    const execution = await engine.trigger('free', { body: { x: { any: ['thing'] } } })
    await engine.idle()
    const stored = await engine.getExecution(execution.id)
    expect(stored?.status).toBe('resolved')
    expect(stored?.jobs[0]?.result).toEqual({ n: 1, free: { any: ['thing'] } })
  })
})
