import { describe, expect, it } from 'vitest'
import { contextJson, jsonText, nullableJson, withContextJson, withJsonText } from '../../src/engine/json-text.js'
import { responseBodyJson, toResponseDescription } from '../../src/engine/response-description.js'
import { toResponse } from '../../src/core/to-response.js'
import { createEngine, createMemoryStore, defineNode, WebhookTrigger } from '../../src/index.js'
import { idPath, post, settledExecution } from '../helpers/webhook.js'

const parts = () => ({ headers: { 'x-request-id': 'r1' }, query: { a: ['1', '2'] }, params: {}, method: 'POST' })

describe('jsonText', () => {
  it.each([true, false, null, 0, -0, 42, -1.5, 1e21, 5e-7, Number.NaN, Number.POSITIVE_INFINITY, 'text', [1, true], { a: null }, undefined])(
    'gives what JSON.stringify gives for %s',
    (value) => {
      expect(jsonText(value)).toBe(JSON.stringify(value))
    },
  )
})

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

  it('writes path parameters when there are any, and an empty object when there are none', () => {
    for (const params of [{}, { id: 'ord_7', 'odd "key"': 'a\\b' }] as Record<string, string>[]) {
      const context = withContextJson({ ...parts(), params, body: { n: 1 } }, '{"n":1}')
      expect(JSON.parse(contextJson(context))).toEqual({ ...parts(), params, body: { n: 1 } })
    }
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

describe('an answer described once', () => {
  it('carries the JSON of the description, and the HTTP body is cut from it', async () => {
    const described = toResponseDescription({
      statusCode: '201',
      headers: [{ name: 'x-trick', value: '","body":{"not":"this"}' }],
      body: { ok: true, list: [1, 'a"b'] },
    })
    expect(JSON.parse(jsonText(described)!)).toStrictEqual(JSON.parse(JSON.stringify(described)))
    expect(responseBodyJson(described)).toBe('{"ok":true,"list":[1,"a\\"b"]}')
    expect(JSON.parse(nullableJson(described)!)).toEqual({ statusCode: 201, headers: [{ name: 'x-trick', value: '","body":{"not":"this"}' }], body: { ok: true, list: [1, 'a"b'] } })
    const response = toResponse(described)
    expect(await response.json()).toEqual({ ok: true, list: [1, 'a"b'] })
  })

  it('gives the body of a description built by hand, which carries no text', () => {
    expect(responseBodyJson({ statusCode: 200, headers: [{ name: 'x', value: 'y' }], body: [1] })).toBe('[1]')
    expect(responseBodyJson({ statusCode: 200, headers: [], body: undefined })).toBeUndefined()
  })

  it('leaves the body key out when there is no body, as JSON does', () => {
    const described = toResponseDescription({ statusCode: 204 })
    expect(jsonText(described)).toBe('{"statusCode":204,"headers":[]}')
    expect(responseBodyJson(described)).toBeUndefined()
  })

  it('refuses a body JSON cannot carry, naming why', () => {
    expect(() => toResponseDescription({ body: { big: 10n } })).toThrow(/Response body cannot be sent as JSON/)
  })

  it('fails the Response node of a run whose body cannot be sent, and answers 500', async () => {
    const engine = createEngine({ nodeTypes: [defineNode({ type: 'bigint', run: () => 10n })] })
    engine.register({
      key: 'k',
      sync: true,
      trigger: { type: 'webhook', id: 'k' },
      nodes: [
        { key: 'n', type: 'bigint' },
        { key: 'answer', type: 'response', config: { statusCode: 200, body: { n: '{{$jobsMapByNodeKey.n}}' } } },
      ],
    })
    const response = await new WebhookTrigger({ engine }).fetch(post(idPath('k'), '{}'))
    expect(response.status).toBe(500)
    const id = response.headers.get('x-execution-id')!
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('error')
    expect(execution?.jobs.find((job) => job.nodeKey === 'answer')?.error?.message).toMatch(/Response body cannot be sent as JSON/)
  })
})

describe('withJsonText', () => {
  it('replaces the text when attached again', () => {
    const value = withJsonText({ a: 1 }, '{"a":1}')
    withJsonText(value, '{"a":2}')
    expect(jsonText(value)).toBe('{"a":2}')
  })
})
