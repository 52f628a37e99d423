import { describe, expect, it } from 'vitest'
import { contextJson, withContextJson } from '../../src/engine/context-json.js'
import { createEngine, createMemoryStore, WebhookTrigger } from '../../src/index.js'
import { idPath, post, settledExecution } from '../helpers/webhook.js'

const parts = () => ({ headers: { 'x-request-id': 'r1' }, query: { a: ['1', '2'] }, params: {}, method: 'POST' })

describe('a context carrying its JSON text', () => {
  it('gives a text that parses back to the context, with the body as received', () => {
    const bodyText = '{ "b" : [1, 2.50, {"c": "\\u00fc"}],\n  "d": null }'
    const context = withContextJson({ ...parts(), body: JSON.parse(bodyText) }, bodyText)
    const text = contextJson(context)
    expect(text).toContain(bodyText)
    expect(JSON.parse(text)).toEqual(context)
    // The carried text is invisible to JSON and to enumeration.
    expect(JSON.stringify(context)).toBe(JSON.stringify({ ...parts(), body: JSON.parse(bodyText) }))
    expect(Object.getOwnPropertySymbols(context).every((symbol) => !Object.getOwnPropertyDescriptor(context, symbol)?.enumerable)).toBe(true)
  })

  it('is not carried by a copy, so a changed copy is stored as it is', () => {
    const context = withContextJson({ ...parts(), body: { n: 1 } }, '{"n":1}')
    const changed = { ...context, body: { n: 2 } }
    expect(JSON.parse(contextJson(changed)).body).toEqual({ n: 2 })
    expect(JSON.parse(contextJson(structuredClone(context))).body).toEqual({ n: 1 })
  })

  it('stores a webhook body as received: spacing and escapes read back as the same value', async () => {
    const engine = createEngine({ store: createMemoryStore() })
    engine.register({ key: 'k', trigger: { type: 'webhook', id: 'k', request: { headers: [{ key: 'x-request-id' }] } }, nodes: [] })
    const trigger = new WebhookTrigger({ engine })
    const sent = '\n{\n  "name": "Gr\\u00fc\\u00dfe",\n  "n": [1e2, -0.5],\n  "deep": {"a": {"b": [true]}}\n}\n'
    const response = await trigger.fetch(post(`${idPath('k')}?q=1`, sent, { headers: { 'x-request-id': 'abc' } }))
    const execution = await settledExecution(engine, response)
    expect(execution.context).toEqual({ headers: { 'x-request-id': 'abc' }, query: { q: '1' }, body: JSON.parse(sent), params: {}, method: 'POST' })
  })

  it('stores a blank JSON body as {}', async () => {
    const engine = createEngine()
    engine.register({ key: 'k', trigger: { type: 'webhook', id: 'k' }, nodes: [] })
    const trigger = new WebhookTrigger({ engine })
    const execution = await settledExecution(engine, await trigger.fetch(post(idPath('k'), '  \n ')))
    expect(execution.context.body).toEqual({})
  })
})
