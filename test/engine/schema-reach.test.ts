import { describe, expect, it } from 'vitest'
import { templatesReachSchema } from '../../src/engine/schema-reach.js'
import { createEngine, defineNode } from '../../src/index.js'

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
    expect(templatesReachSchema({ ...schema, additionalProperties: false }, free)).toBe(true)
    expect(templatesReachSchema({ ...schema, additionalProperties: { type: 'string' } }, free)).toBe(true)
    expect(templatesReachSchema({ ...schema, patternProperties: { '^f': { type: 'string' } } }, free)).toBe(true)
    expect(templatesReachSchema({ ...schema, maxProperties: 1 }, free)).toBe(true)
    expect(templatesReachSchema({ allOf: [schema] }, free)).toBe(true)
    expect(templatesReachSchema({ properties: {} }, free)).toBe(true)
    expect(templatesReachSchema(undefined, free)).toBe(true)
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
