/**
 * fast-check fuzzing of every parser a delivery meets, through `trigger.fetch` with real
 * Requests: JSON, query, form, multipart, text, raw, Content-Type and Basic credentials. Every
 * input gets an answer (the test timeout is the hang detector), never a 500, and never a failure
 * reported as unexpected.
 */
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine, WebhookTrigger } from '../../src/index.js'
import { BASE } from '../helpers/webhook.js'

const RUNS = 150
const TIMEOUT = 60_000
const ANSWERS = [200, 400, 401, 413, 414, 415, 431]

let engine: Engine
let trigger: WebhookTrigger
const reported: unknown[] = []

beforeAll(() => {
  // Deliveries are stored and run; a small memory store keeps the fuzzing light.
  engine = createEngine()
  engine.register({ key: 'all', trigger: { type: 'webhook', id: 'all', request: { contentTypes: ['json', 'form', 'multipart', 'text'], files: { maxFiles: 3, includeContent: true } } }, nodes: [] })
  engine.register({ key: 'raw', trigger: { type: 'webhook', id: 'raw', request: { contentTypes: ['raw'] } }, nodes: [] })
  engine.register({ key: 'auth', trigger: { type: 'webhook', id: 'auth', basicAuthentication: { username: 'u', password: 'p' } }, nodes: [] })
  trigger = new WebhookTrigger({ engine, bodyLimit: 64 * 1024, onError: (error) => void reported.push(error) })
})
afterAll(() => engine.close())
afterEach(async () => {
  await engine.idle()
  expect(reported.splice(0), 'failures answered 500').toEqual([])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

async function answer(path: string, init: RequestInit): Promise<number> {
  const response = await trigger.fetch(new Request(`http://localhost${BASE}${path}`, init))
  await response.arrayBuffer()
  return response.status
}

async function expectAnswered(path: string, init: RequestInit): Promise<void> {
  const status = await answer(path, init)
  expect(ANSWERS, `status ${status}`).toContain(status)
}

const bytes = fc.uint8Array({ maxLength: 2048 })
/** Text made mostly of the characters each grammar cares about, so the fuzzing reaches deep. */
const grammar = (pieces: string[]): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''))

const jsonish = fc.oneof(
  fc.json({ depthSize: 'large' }),
  grammar(['{', '}', '[', ']', '"', ':', ',', '\\', '\\u0000', '"__proto__"', '"constructor"', '1e999', '-', 'true', 'null']),
)
const urlEncoded = grammar(['a', '[', ']', '=', '&', '%', '%5B', '%5D', '%00', '%ZZ', '+', '.', '__proto__', 'constructor', 'prototype', '[]', '[0]', '[99999999]'])
const multipartText = grammar(['--b', '--b--', '\r\n', '\r\n\r\n', 'Content-Disposition: form-data', '; name="a"', '; name="__proto__"', '; filename="f"', "; filename*=UTF-8''%E2", 'Content-Type: text/plain', ':', '"', '\\'])
const encoder = new TextEncoder()

describe('fuzzing every parser through trigger.fetch: never a 500, never a hang', () => {
  it('JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, jsonish.map((text) => encoder.encode(text))), async (body) => {
        await expectAnswered('/all', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('query strings', async () => {
    await fc.assert(
      fc.asyncProperty(urlEncoded, async (query) => {
        await expectAnswered(`/all?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('form bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, urlEncoded.map((text) => encoder.encode(text))), async (body) => {
        await expectAnswered('/all', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('multipart bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, multipartText.map((text) => encoder.encode(text))), async (body) => {
        await expectAnswered('/all', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('text bodies in any charset label', async () => {
    const charset = fc.constantFrom('utf-8', 'iso-8859-1', 'utf-16le', 'shift_jis', 'windows-1252', 'x-unknown', '')
    await fc.assert(
      fc.asyncProperty(bytes, charset, async (body, label) => {
        await expectAnswered('/all', { method: 'POST', headers: { 'content-type': `text/plain; charset=${label}` }, body })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('raw bodies', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (body) => {
        expect(await answer('/raw', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body })).toBe(200)
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('Content-Type headers', async () => {
    const header = fc.oneof(
      fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 80 }),
      grammar(['application/json', 'multipart/form-data', 'text/', '+json', ';', '=', '"', '\\', 'charset', 'boundary', ' ', 'utf-8']),
    )
    await fc.assert(
      fc.asyncProperty(header, bytes, async (type, body) => {
        let headers: Headers
        try {
          headers = new Headers({ 'content-type': type })
        } catch {
          return // not a header value a client could send
        }
        await expectAnswered('/all', { method: 'POST', headers, body })
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('Basic credentials', async () => {
    const credentials = fc.oneof(
      fc.string({ maxLength: 200 }).map((text) => `Basic ${text}`),
      fc.uint8Array({ maxLength: 200 }).map((raw) => `Basic ${Buffer.from(raw).toString('base64')}`),
      grammar(['Basic ', 'basic', ' ', ':', '=', '==', 'dTpw', 'Bearer ']),
    )
    await fc.assert(
      fc.asyncProperty(credentials, async (authorization) => {
        let headers: Headers
        try {
          headers = new Headers({ 'content-type': 'application/json', authorization })
        } catch {
          return
        }
        const status = await answer('/auth', { method: 'POST', headers, body: '{}' })
        expect([200, 401], `status ${status}`).toContain(status)
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)
})
