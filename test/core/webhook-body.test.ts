import { describe, expect, it } from 'vitest'
import { answer, callFlow, syncFlow } from '../nodes/node-flows.js'
import { DEFAULT_BODY_LIMIT, type WorkflowDefinition } from '../../src/index.js'
import {
  expectErrorBody,
  expectNoExecution,
  idPath,
  jsonOfSize,
  nestedArrays,
  post,
  request,
  settledExecution,
  setup,
  streamed,
} from '../helpers/webhook.js'

const hello: WorkflowDefinition = { key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] }
const path = idPath('hello')
const MiB = 1_048_576

function bytesRequest(body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Request {
  return request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
}

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let offset = 0; offset < bytes.byteLength; offset += size) chunks.push(bytes.subarray(offset, offset + size))
  return chunks
}

describe('WebhookTrigger body limit (413)', () => {
  it('has a default body limit of 1 MiB (1,048,576 bytes)', () => {
    expect(DEFAULT_BODY_LIMIT).toBe(MiB)
    const { trigger } = setup([hello])
    expect(trigger.bodyLimit).toBe(MiB)
  })

  it('answers 413 when Content-Length declares more than bodyLimit', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 100 } })
    const body = jsonOfSize(200)
    const response = await trigger.fetch(bytesRequest(body, { 'content-length': '200' }))
    expect(response.status).toBe(413)
    await expectErrorBody(response, 'payload_too_large')
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 413 for a body larger than bodyLimit whose Content-Length claims less', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 100 } })
    const response = await trigger.fetch(bytesRequest(jsonOfSize(200), { 'content-length': '10' }))
    expect(response.status).toBe(413)
    await expectNoExecution(engine)
  })

  it('answers 413 for a streamed body without Content-Length that passes a small bodyLimit', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 100 } })
    const response = await trigger.fetch(streamed(path, chunksOf(jsonOfSize(101), 16)))
    expect(response.status).toBe(413)
    await expectErrorBody(response, 'payload_too_large')
    await expectNoExecution(engine)
  })

  it('stops reading a never-ending stream once it passes bodyLimit', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 1000 } })
    let pulls = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        controller.enqueue(new Uint8Array(100).fill(0x20))
      },
    })
    const response = await trigger.fetch(
      request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect(pulls).toBeLessThan(50)
    await expectNoExecution(engine)
  })

  it('accepts a streamed body of exactly a small bodyLimit', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 100 } })
    const response = await trigger.fetch(streamed(path, chunksOf(jsonOfSize(100), 16)))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect((execution.context.body as { pad: string }).pad).toHaveLength(100 - '{"pad":""}'.length)
  })

  it('accepts exactly 1,048,576 bytes of valid JSON by default', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(bytesRequest(jsonOfSize(MiB)))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('refuses 1,048,577 bytes with 413 by default', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(bytesRequest(jsonOfSize(MiB + 1)))
    expect(response.status).toBe(413)
    await expectNoExecution(engine)
  })

  it('accepts exactly 1,048,576 streamed bytes without Content-Length by default', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(streamed(path, chunksOf(jsonOfSize(MiB), 64 * 1024)))
    expect(response.status).toBe(200)
    await settledExecution(engine, response)
  })

  it('refuses 1,048,577 streamed bytes without Content-Length with 413 by default', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(streamed(path, chunksOf(jsonOfSize(MiB + 1), 64 * 1024)))
    expect(response.status).toBe(413)
    await expectNoExecution(engine)
  })
})

describe('WebhookTrigger content type (415)', () => {
  it('answers 415 for text/plain', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(request(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"a":1}' }))
    expect(response.status).toBe(415)
    await expectErrorBody(response, 'unsupported_media_type')
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 415 for a body with no content type', async () => {
    const { engine, trigger } = setup([hello])
    const req = request(path, { method: 'POST', body: new TextEncoder().encode('{"a":1}') })
    expect(req.headers.get('content-type')).toBeNull()
    const response = await trigger.fetch(req)
    expect(response.status).toBe(415)
    await expectNoExecution(engine)
  })

  it('answers 415 for application/x-www-form-urlencoded', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(request(path, { method: 'POST', body: new URLSearchParams({ a: '1' }) }))
    expect(response.status).toBe(415)
    await expectNoExecution(engine)
  })

  it('decides 415 before the body limit: an oversize text/plain body is 415', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 10 } })
    const response = await trigger.fetch(
      request(path, { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': '100' }, body: 'x'.repeat(100) }),
    )
    expect(response.status).toBe(415)
    await expectNoExecution(engine)
  })

  it('decides 415 before the body limit: an oversize body with no content type is 415', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyLimit: 10 } })
    const req = request(path, { method: 'POST', headers: { 'content-length': '100' }, body: new Uint8Array(100).fill(0x20) })
    expect(req.headers.get('content-type')).toBeNull()
    const response = await trigger.fetch(req)
    expect(response.status).toBe(415)
    await expectNoExecution(engine)
  })

  it('accepts application/json; charset=utf-8', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { 'content-type': 'application/json; charset=utf-8' } }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ a: 1 })
  })

  it('accepts application/vnd.api+json', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, { data: { id: '1' } }, { headers: { 'content-type': 'application/vnd.api+json' } }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({ data: { id: '1' } })
  })

  it('accepts an empty JSON body as {}', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, ''))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({})
  })

  it('accepts an empty body stream with no content type as {}', async () => {
    // What a Node bridge hands over for a bodyless POST sent without Content-Length (curl -X POST).
    const { engine, trigger } = setup([hello])
    const empty = new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
    const req = request(path, { method: 'POST', body: empty, duplex: 'half' } as RequestInit)
    expect(req.headers.get('content-type')).toBeNull()
    const response = await trigger.fetch(req)
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({})
  })

  it('accepts a POST without body or content type as {}', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(request(path, { method: 'POST' }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual({})
  })
})

describe('WebhookTrigger JSON parsing (400)', () => {
  it('answers 400 for malformed JSON', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"a":'))
    expect(response.status).toBe(400)
    await expectErrorBody(response)
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 400 for JSON nested 65 deep', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, nestedArrays(65)))
    expect(response.status).toBe(400)
    await expectErrorBody(response)
    await expectNoExecution(engine)
  })

  it('answers 400 for objects nested 65 deep', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"a":'.repeat(65) + '1' + '}'.repeat(65)))
    expect(response.status).toBe(400)
    await expectNoExecution(engine)
  })

  it('accepts JSON nested 64 deep', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, nestedArrays(64)))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(JSON.stringify(execution.context.body)).toBe(nestedArrays(64))
  })

  it('accepts JSON with many more brackets than the depth limit side by side', async () => {
    const { engine, trigger } = setup([hello])
    const wide = JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => [{ i }]) })
    const response = await trigger.fetch(post(path, wide))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual(JSON.parse(wide))
  })

  it('does not count brackets inside strings as nesting', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, { s: '['.repeat(100) + '\\"{' }))
    expect(response.status).toBe(200)
    await settledExecution(engine, response)
  })

  it('answers 400 for a __proto__ key', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"__proto__":{"polluted":true}}'))
    expect(response.status).toBe(400)
    await expectErrorBody(response)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await expectNoExecution(engine)
  })

  it('answers 400 for a __proto__ key nested inside an array', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"items":[{"a":{"__proto__":{"x":1}}}]}'))
    expect(response.status).toBe(400)
    await expectNoExecution(engine)
  })

  it('answers 400 for a constructor key whose value holds prototype', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"a":{"constructor":{"prototype":{"x":1}}}}'))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'forbidden_json_key')
    await expectNoExecution(engine)
  })

  it('answers 400 for a constructor holding prototype spelled with a \\u escape', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"constructor":{"\\u0070rototype":{"x":1}}}'))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'forbidden_json_key')
    await expectNoExecution(engine)
  })

  it.each([
    ['a constructor string', { constructor: 'Red Bull' }],
    ['a nested constructor object', { drink: { constructor: { name: 'Red Bull', country: 'AT' } } }],
    ['a prototype key', { prototype: { version: 2 }, items: [{ constructor: 1 }] }],
    ['a prototype key inside another key than constructor', { model: { prototype: 'x' } }],
  ])('accepts %s as data', async (_, body) => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, body))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.context.body).toEqual(body)
  })

  it("answers a Red Bull order with the sender's constructor value, and nothing for a body without one", async () => {
    const { engine, trigger } = setup([syncFlow('drinks', [answer({ drink: '{{$context.body.constructor}}', text: 'a {{$context.body.constructor}}' })])])
    expect((await callFlow(engine, trigger, 'drinks', { constructor: 'Red Bull' })).body).toEqual({ drink: 'Red Bull', text: 'a Red Bull' })
    expect((await callFlow(engine, trigger, 'drinks', {})).body).toEqual({ text: 'a ' })
  })

  it('answers 400 for a __proto__ key spelled with a \\u escape', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"\\u005f_proto__":{"polluted":true}}'))
    expect(response.status).toBe(400)
    await expectErrorBody(response)
    await expectNoExecution(engine)
  })

  it('accepts "constructor" and "__proto__" as string values', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, { kind: 'constructor', other: '__proto__' }))
    expect(response.status).toBe(200)
    await settledExecution(engine, response)
  })

  it('answers 400 for invalid UTF-8', async () => {
    const { engine, trigger } = setup([hello])
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) // {"a":"\xff\xfe"}
    const response = await trigger.fetch(bytesRequest(bytes))
    expect(response.status).toBe(400)
    await expectErrorBody(response)
    await expectNoExecution(engine)
  })

  it('answers error bodies as JSON { error: { code, message } } without a stack trace', async () => {
    const { engine, trigger } = setup([hello])
    const response = await trigger.fetch(post(path, '{"a": nope}'))
    expect(response.status).toBe(400)
    const error = await expectErrorBody(response)
    expect(error.code).toMatch(/^[a-z_]+$/)
    expect(error.message).not.toMatch(/\bat\s+\S+\s+\(/)
    await expectNoExecution(engine)
  })
})
