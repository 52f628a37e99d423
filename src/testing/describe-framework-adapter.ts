/**
 * @module
 * `describeFrameworkAdapter(name, mount)`: the matrix suite every framework adapter runs, ours
 * or a user's. It serves a fixture trigger through `mount`, sends real requests over real
 * sockets, and demands for each the answer `trigger.fetch` gives to the same request: status,
 * the headers that matter, and body bytes (execution ids aside).
 */
import { createHmac, randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { WebhookTrigger } from '../core/webhook-trigger.js'
import { AUTHORIZATION, createAdapterFixture, SIGNING_SECRET, type AdapterFixture } from './adapter-fixtures.js'
import { type Answer, answerOf, expectSameAnswer, json, REQUEST_TIMEOUT, send, sendRaw, text } from './http-client.js'

/**
 * Where `describeFrameworkAdapter` asks the adapter to mount the trigger.
 *
 * @example
 * ```ts
 * import type { MountOptions } from 'hookflow/testing'
 *
 * const options: MountOptions = { prefix: '/hooks' }
 * ```
 */
export interface MountOptions {
  /** The path to mount under; the trigger's `basePath` is the same path. */
  prefix: string
}

/**
 * A server the adapter under test listens on: its origin, and how to stop it.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { listen, type MountedServer } from 'hookflow/testing'
 *
 * const server: MountedServer = await listen(http.createServer((_req, res) => res.end('ok')))
 * await fetch(server.url)
 * await server.close()
 * ```
 */
export interface MountedServer {
  /** The listening server's origin, e.g. `http://127.0.0.1:3000`. */
  url: string
  /** Stops the server and closes its connections. */
  close(): Promise<void>
}

/**
 * Serves `trigger` under `prefix` through the adapter under test, on a real socket.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createListener } from 'hookflow/node'
 * import { listen, type MountAdapter } from 'hookflow/testing'
 *
 * const mount: MountAdapter = async (trigger) => listen(http.createServer(createListener(trigger)))
 * ```
 */
export type MountAdapter = (trigger: WebhookTrigger, options: MountOptions) => Promise<MountedServer>

const PREFIX = '/hooks'
const TEST_TIMEOUT = 30_000
const MiB = 1_048_576
const JSON_TYPE = { 'content-type': 'application/json' }
const PAYER = { ...JSON_TYPE, authorization: AUTHORIZATION }

/**
 * A vitest suite that sends real requests through a framework adapter and demands the answers `trigger.fetch` gives.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import http from 'node:http'
 * import { handle } from 'hookflow/express'
 * import { describeFrameworkAdapter, listen } from 'hookflow/testing'
 *
 * describeFrameworkAdapter('express', async (trigger, { prefix }) => {
 *   const app = express().use(prefix, handle(trigger))
 *   return listen(http.createServer(app))
 * })
 * ```
 */
export function describeFrameworkAdapter(name: string, mount: MountAdapter): void {
  describe(`${name} answers every request as trigger.fetch does`, () => {
    let fixture: AdapterFixture
    let server: MountedServer
    const url = (path: string, base = server.url + PREFIX): string => base + path

    beforeAll(async () => {
      fixture = createAdapterFixture(PREFIX)
      server = await mount(fixture.trigger, { prefix: PREFIX })
    })
    afterAll(async () => {
      await server?.close()
      await fixture?.engine.close()
    })
    afterEach(() => {
      expect(fixture.errors.splice(0), 'failures the core reported').toEqual([])
    })

    /** The answer over the socket, after checking it is the core's answer to the same request. */
    async function same(path: string, init: RequestInit, on: { url: string; trigger: WebhookTrigger } = { url: url(path), trigger: fixture.trigger }): Promise<Answer> {
      const actual = await send(on.url, init)
      expectSameAnswer(actual, await answerOf(await on.trigger.fetch(new Request(on.url, init)), []))
      return actual
    }

    /** Runs `send` and checks that neither it nor the core's own answer created an execution. */
    async function refused(path: string, init: RequestInit): Promise<Answer> {
      const before = fixture.created()
      const answer = await same(path, init)
      expect(fixture.created(), 'executions created').toBe(before)
      return answer
    }

    it('answers an async delivery with its templated response, and runs what it stored', async () => {
      const answer = await same('/notify?source=matrix', { method: 'POST', headers: JSON_TYPE, body: '{"id":"o1"}' })
      expect(answer.status).toBe(202)
      expect(answer.headers.get('x-order')).toBe('order-o1')
      expect(json(answer)).toEqual({ queued: 'o1' })
      await fixture.engine.idle()
      const execution = await fixture.engine.getExecution(answer.headers.get('x-execution-id') ?? '')
      expect(execution).toMatchObject({ workflowKey: 'notify', status: 'resolved', context: { body: { id: 'o1' }, query: { source: 'matrix' } } })
    }, TEST_TIMEOUT)

    it('answers the true branch of a sync condition from its Response node, headers templated', async () => {
      const answer = await same('/payment', { method: 'POST', headers: PAYER, body: '{"id":"p1","amount":2500}' })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-payment')).toBe('p1')
      expect(answer.headers.get('x-execution-id')).toMatch(/\S/)
      expect(json(answer)).toEqual({ ok: true, id: 'p1' })
    }, TEST_TIMEOUT)

    it('answers the false branch of a sync condition from its Response node', async () => {
      const answer = await same('/payment', { method: 'POST', headers: PAYER, body: '{"id":"p2","amount":5}' })
      expect(answer.status).toBe(402)
      expect(json(answer)).toEqual({ ok: false, id: 'p2' })
    }, TEST_TIMEOUT)

    it('names the execution in X-Execution-Id and in the body when a sync run ends without a Response node', async () => {
      const answer = await same('/plain', { method: 'POST', headers: JSON_TYPE, body: '{}' })
      const id = answer.headers.get('x-execution-id')
      expect(answer.status).toBe(200)
      expect(json(answer)).toEqual({ executionId: id, status: 'resolved' })
      expect((await fixture.engine.getExecution(id ?? ''))?.workflowKey).toBe('plain')
    }, TEST_TIMEOUT)

    it('sends repeated set-cookie headers as separate header lines', async () => {
      const body = Buffer.from('{"id":"p3","amount":2000}')
      const answer = await sendRaw(url('/payment'), { headers: { ...PAYER, 'content-length': String(body.byteLength) }, chunks: [body] })
      const core = await answerOf(await fixture.trigger.fetch(new Request(url('/payment'), { method: 'POST', headers: PAYER, body })), [])
      expectSameAnswer(answer, core)
      expect(answer.lines.filter(([name]) => name === 'set-cookie').map(([, value]) => value)).toEqual([
        'payment=p3; Path=/; HttpOnly',
        'seen=1; Path=/',
      ])
    }, TEST_TIMEOUT)

    it('answers 404 with the core’s JSON error for an unknown id under the prefix', async () => {
      const answer = await refused('/no-such-workflow', { method: 'POST', headers: JSON_TYPE, body: '{}' })
      expect(answer.status).toBe(404)
      expect(json(answer)).toMatchObject({ error: { code: 'not_found' } })
    }, TEST_TIMEOUT)

    it('answers 405 with Allow for a GET', async () => {
      const answer = await refused('/payment', { method: 'GET', headers: { authorization: AUTHORIZATION } })
      expect(answer.status).toBe(405)
      expect(answer.headers.get('allow')).toBe('POST')
    }, TEST_TIMEOUT)

    it('answers 401 with WWW-Authenticate when credentials are missing', async () => {
      const answer = await refused('/payment', { method: 'POST', headers: JSON_TYPE, body: '{"amount":2500}' })
      expect(answer.status).toBe(401)
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/)
    }, TEST_TIMEOUT)

    it('answers wrong credentials exactly as missing ones', async () => {
      const wrong = `Basic ${Buffer.from('webhook:guess').toString('base64')}`
      const answer = await refused('/payment', { method: 'POST', headers: { ...JSON_TYPE, authorization: wrong }, body: '{"amount":2500}' })
      const missing = await send(url('/payment'), { method: 'POST', headers: JSON_TYPE, body: '{"amount":2500}' })
      expect([answer.status, text(answer)]).toEqual([401, text(missing)])
    }, TEST_TIMEOUT)

    it('checks credentials before a malformed Content-Type, as the core orders its checks', async () => {
      const answer = await refused('/payment', { method: 'POST', headers: { 'content-type': 'json' }, body: '{}' })
      expect(answer.status).toBe(401)
    }, TEST_TIMEOUT)

    it('answers 415 to a body that is not JSON', async () => {
      const answer = await refused('/notify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
      expect(answer.status).toBe(415)
      expect(json(answer)).toMatchObject({ error: { code: 'unsupported_media_type' } })
    }, TEST_TIMEOUT)

    it('parses a form-urlencoded delivery for a trigger that accepts form bodies', async () => {
      const answer = await same('/notify', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=f1&tags[]=a' })
      expect([answer.status, json(answer)]).toEqual([202, { queued: 'f1' }])
      await fixture.engine.idle()
      const execution = await fixture.engine.getExecution(answer.headers.get('x-execution-id') ?? '')
      expect(execution?.context.body).toEqual({ id: 'f1', tags: ['a'] })
    }, TEST_TIMEOUT)

    it('answers 400 to a form key that names __proto__', async () => {
      const answer = await refused('/notify', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '__proto__[x]=1' })
      expect(answer.status).toBe(400)
      expect(json(answer)).toMatchObject({ error: { code: 'forbidden_form_key' } })
    }, TEST_TIMEOUT)

    it('answers 408 to a body that stops arriving before bodyTimeout', async () => {
      const before = fixture.created()
      const first = new TextEncoder().encode('{"id":')
      // Declares 100 bytes, sends 6, then waits: over the socket and, for the core's answer, as a stalled stream.
      // `Connection: close`, so the client's agent never reuses a socket that still owes 94 bytes.
      const headers = { ...JSON_TYPE, 'content-length': '100', connection: 'close' }
      const overSocket = sendRaw(url('/notify'), { headers, chunks: [first] })
      const stalled = new ReadableStream({ start: (c) => c.enqueue(first) })
      const init = { method: 'POST', headers: JSON_TYPE, body: stalled, duplex: 'half' } as RequestInit
      const [answer, core] = await Promise.all([overSocket, fixture.trigger.fetch(new Request(url('/notify'), init)).then((r) => answerOf(r, []))])
      expectSameAnswer(answer, core)
      expect(answer.status).toBe(408)
      expect(json(answer)).toMatchObject({ error: { code: 'body_timeout' } })
      expect(fixture.created()).toBe(before)
    }, TEST_TIMEOUT)

    it('answers 415 to a malformed Content-Type, as the core does', async () => {
      const answer = await refused('/notify', { method: 'POST', headers: { 'content-type': 'json' }, body: '{}' })
      expect(answer.status).toBe(415)
    }, TEST_TIMEOUT)

    it('answers 400 to malformed JSON', async () => {
      const answer = await refused('/notify', { method: 'POST', headers: JSON_TYPE, body: '{"id":' })
      expect(answer.status).toBe(400)
      expect(json(answer)).toMatchObject({ error: { code: 'invalid_json' } })
    }, TEST_TIMEOUT)

    it('answers 413 to a declared Content-Length past the limit, and the client reads it', async () => {
      const answer = await refused('/notify', { method: 'POST', headers: JSON_TYPE, body: new Uint8Array(MiB + 1).fill(0x20) })
      expect(answer.status).toBe(413)
      expect(json(answer)).toMatchObject({ error: { code: 'payload_too_large' } })
    }, TEST_TIMEOUT)

    it('answers 413 to a chunked body that streams past the limit, and the client reads it', async () => {
      const chunk = new Uint8Array(64 * 1024).fill(0x20)
      const chunks = Array.from({ length: 32 }, () => chunk) // 2 MiB, twice the limit, no Content-Length
      const before = fixture.created()
      const answer = await sendRaw(url('/notify'), { headers: JSON_TYPE, chunks })
      const stream = new ReadableStream({ start: (c) => (chunks.forEach((piece) => c.enqueue(piece)), c.close()) })
      const init = { method: 'POST', headers: JSON_TYPE, body: stream, duplex: 'half' } as RequestInit
      expectSameAnswer(answer, await answerOf(await fixture.trigger.fetch(new Request(url('/notify'), init)), []))
      expect(answer.status).toBe(413)
      expect(fixture.created()).toBe(before)
    }, TEST_TIMEOUT)

    it('fires the run’s AbortSignal when the client disconnects during a sync run', async () => {
      const token = randomUUID()
      const probe = fixture.probe(token)
      const client = new AbortController()
      const init = { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ token }), signal: client.signal }
      const outcome = fetch(url('/slow'), init).then(() => 'answered', () => 'gave up')
      const id = await within(probe.started, 'the run to start')
      client.abort()
      expect(await outcome).toBe('gave up')
      expect(await within(probe.aborted, 'the run’s AbortSignal to fire')).toMatchObject({ reason: 'canceled' })
      await fixture.engine.idle()
      expect(await fixture.engine.getExecution(id)).toMatchObject({ status: 'aborted', reason: 'canceled' })
    }, TEST_TIMEOUT)

    it('hands the core the raw body untouched, so a signature over its exact bytes verifies', async () => {
      // Spacing, key order and escapes a re-serialising framework would change.
      const body = '{ "id" : "s1",\n  "note": "na\u00efve \u2603 ☃", "n": 1.50 }'
      const signature = `sha256=${createHmac('sha256', SIGNING_SECRET).update(body).digest('hex')}`
      const answer = await same('/signed', { method: 'POST', headers: { ...JSON_TYPE, 'x-hub-signature-256': signature }, body })
      expect([answer.status, json(answer)]).toEqual([202, { received: 's1' }])
      const reserialised = JSON.stringify(JSON.parse(body))
      const forged = await refused('/signed', { method: 'POST', headers: { ...JSON_TYPE, 'x-hub-signature-256': signature }, body: reserialised })
      expect(forged.status).toBe(401)
      expect(json(forged)).toMatchObject({ error: { code: 'signature_invalid' } })
    }, TEST_TIMEOUT)

    // No route can match these: a framework mount hands them back to the framework (its own 404,
    // Express's `next()`), a plain server has only the core to answer. Either way: 404, nothing run.
    for (const path of ['', '/not/a/webhook/path']) {
      it(`answers ${path === '' ? 'the bare prefix' : path} with a 404, creating nothing`, async () => {
        const before = fixture.created()
        const answer = await send(url(path), { method: 'POST', headers: JSON_TYPE, body: '{}' })
        expect(answer.status).toBe(404)
        expect(fixture.created(), 'executions created').toBe(before)
      }, TEST_TIMEOUT)
    }

    for (const prefix of ['/api/v1/webhooks', '/api/webhook:trigger']) {
      it(`serves a trigger mounted under ${prefix}`, async () => {
        const other = createAdapterFixture(prefix)
        const mounted = await mount(other.trigger, { prefix })
        onTestFinished(async () => {
          await mounted.close()
          await other.engine.close()
        })
        const init = { method: 'POST', headers: PAYER, body: '{"id":"n1","amount":1001}' }
        const answer = await same('/payment', init, { url: url('/payment', mounted.url + prefix), trigger: other.trigger })
        expect([answer.status, json(answer)]).toEqual([200, { ok: true, id: 'n1' }])
        expect(other.errors).toEqual([])
      }, TEST_TIMEOUT)
    }
  })
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${REQUEST_TIMEOUT} ms for ${what}`)), REQUEST_TIMEOUT)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
