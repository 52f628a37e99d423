import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnyNodeDefinition as NodeDefinition, CreateEngineOptions } from '../../src/index.js'
import { problemPaths } from '../engine/helpers.js'
import { idPath, post, settledExecution, setup } from '../helpers/webhook.js'
import { answer, type Answer, callFlow, jobOf, syncFlow } from '../nodes/node-flows.js'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  /** The body's bytes, base64. */
  base64: string
}

/** A PNG signature and bytes that are not UTF-8. */
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe, 0x80])
/** `こんにちは` in Shift_JIS. */
const SHIFT_JIS = Uint8Array.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd])

/** A small real HTTP service on 127.0.0.1:0 whose paths answer the ways a test needs. */
class TestService {
  readonly seen: Seen[] = []
  /** Requests that were still open when their client went away. */
  closedEarly = 0
  server!: Server
  url = ''

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const bytes = Buffer.concat(chunks)
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: bytes.toString('utf8'), base64: bytes.toString('base64') }
    this.seen.push(seen)
    const path = new URL(seen.url, 'http://x').pathname
    if (path === '/echo' || path.startsWith('/items/')) return json(res, 200, seen)
    if (path === '/png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
    if (path === '/latin1') return void res.writeHead(200, { 'content-type': 'text/plain; charset=ISO-8859-1' }).end(Buffer.from('café crème', 'latin1'))
    if (path === '/shift-jis') return void res.writeHead(200, { 'content-type': 'text/html; charset="Shift_JIS"' }).end(SHIFT_JIS)
    if (path === '/bad-utf8') return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(PNG)
    if (path === '/odd-charset') return void res.writeHead(200, { 'content-type': 'text/plain; charset=x-klingon' }).end('qapla')
    if (path === '/untyped-text') return void res.writeHead(200, { 'content-length': String(Buffer.byteLength('ünï')) }).end('ünï')
    if (path === '/untyped-bytes') return void res.writeHead(200).end(PNG)
    if (path === '/latin1-json') return void res.writeHead(200, { 'content-type': 'application/json; charset=latin1' }).end(Buffer.from('{"name":"Zoë"}', 'latin1'))
    if (path === '/gzip') return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync('{"packed":"ünzipped"}'))
    if (path === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words')
    if (path.startsWith('/status/')) return json(res, Number(path.slice(8)), { error: 'nope' })
    if (path === '/hang') {
      res.on('close', () => {
        if (!res.writableEnded) this.closedEarly++
      })
      return // never answers
    }
    if (path === '/to-echo') return void res.writeHead(302, { location: '/echo?via=redirect' }).end()
    if (path === '/see-other') return void res.writeHead(303, { location: '/echo' }).end()
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end()
    if (path === '/to-other') return void res.writeHead(302, { location: `${other.url}/echo` }).end()
    if (path === '/big-stream') {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      let sent = 0
      const write = (): void => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', write)
        }
        res.end()
      }
      res.on('error', () => undefined)
      return write()
    }
    if (path === '/big-declared') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(5 * 1024 * 1024) })
      return void res.write('only the start')
    }
    json(res, 404, { error: 'no such path' })
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'set-cookie': 'session=secret' }).end(JSON.stringify(body))
}

const service = new TestService()
const other = new TestService()

beforeAll(async () => {
  await service.start()
  await other.start()
})
afterAll(async () => {
  await service.stop()
  await other.stop()
})

function requestFlow(config: Record<string, unknown>, options: Record<string, unknown> = {}): ReturnType<typeof syncFlow> {
  const nodes: NodeDefinition[] = [
    { key: 'call', type: 'request', config: { timeout: 10_000, ...config } },
    answer({ result: '{{$jobsMapByNodeKey.call}}' }),
  ]
  return syncFlow('req', nodes, options)
}

// Every case runs through fetch (the default) and through the private-network guard's own
// node:http transport, with the loopback test servers allowed.
const transports: Array<[string, CreateEngineOptions]> = [
  ['fetch', {}],
  ['the private-network guard', { requestNode: { denyPrivateNetworks: true, allowNetworks: ['127.0.0.0/8'] } }],
]

describe.each(transports)('request node against a real HTTP server, through %s', (_, engineOptions) => {
  const serve = (definitions: Parameters<typeof setup>[0]): ReturnType<typeof setup> => setup(definitions, { engine: engineOptions })

  it('sends the templated method, query, headers and JSON body, and returns status, headers and parsed data', async () => {
    const { engine, trigger } = serve([
      requestFlow({
        method: 'PUT',
        url: `${service.url}/echo`,
        params: [{ name: 'order', value: '{{$context.body.id}}' }],
        headers: [{ name: 'x-api-key', value: 'key-{{$context.body.id}}' }],
        data: { sku: '{{$context.body.sku}}', qty: '{{$context.body.qty}}' },
      }),
    ])
    const { status, body, execution } = await callFlow(engine, trigger, 'req', { id: 42, sku: 'A-1', qty: 3 })
    expect(status).toBe(200)
    expect(body.result.status).toBe(200)
    expect(body.result.headers['content-type']).toMatch(/^application\/json/)
    expect(body.result.headers['set-cookie']).toBeUndefined()
    const seen = body.result.data as Seen
    expect(seen.method).toBe('PUT')
    expect(seen.url).toBe('/echo?order=42')
    expect(seen.headers['x-api-key']).toBe('key-42')
    expect(seen.headers['content-type']).toBe('application/json')
    expect(JSON.parse(seen.body)).toEqual({ sku: 'A-1', qty: 3 })
    expect(jobOf(execution, 'call').status).toBe('resolved')
  })

  it('returns only the data with onlyData, and text for a non-JSON answer', async () => {
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/text`, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toBe('plain words')
  })

  it('sends a form body and a text body as their content types', async () => {
    const { engine, trigger } = serve([
      syncFlow('req', [
        { key: 'form', type: 'request', config: { url: `${service.url}/echo`, contentType: 'application/x-www-form-urlencoded', data: { a: '{{$context.body.a}}', b: 'x y' }, onlyData: true } },
        { key: 'text', type: 'request', config: { url: `${service.url}/echo`, contentType: 'text/plain', data: 'hello {{$context.body.a}}', onlyData: true } },
        answer({ form: '{{$jobsMapByNodeKey.form}}', text: '{{$jobsMapByNodeKey.text}}' }),
      ]),
    ])
    const { body } = await callFlow(engine, trigger, 'req', { a: 'one&two' })
    expect(body.form.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(body.form.body).toBe('a=one%26two&b=x+y')
    expect(body.text.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(body.text.body).toBe('hello one&two')
  })

  it('fails the job with request_status on a non-2xx answer, and the sync answer is 500', async () => {
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/status/503` })])
    const { status, body, execution } = await callFlow(engine, trigger, 'req')
    expect(status).toBe(500)
    expect(body.status).toBe('error')
    expect(execution.status).toBe('error')
    const job = jobOf(execution, 'call')
    expect(job.status).toBe('error')
    expect(job.error).toMatchObject({ code: 'request_status' })
    expect(job.error?.message).toContain('answered 503')
  })

  it('makes a non-2xx answer the result with ignoreFail, and the flow goes on', async () => {
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/status/422`, ignoreFail: true })])
    const { status, body, execution } = await callFlow(engine, trigger, 'req')
    expect(status).toBe(200)
    expect(body.result).toMatchObject({ status: 422, data: { error: 'nope' } })
    expect(execution.status).toBe('resolved')
  })

  it('fails with request_timeout when the server does not answer within timeout', async () => {
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/hang`, timeout: 150 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(execution.status).toBe('error')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_timeout' })
  })

  it('gives status 0 and the error as the result of a timed-out call with ignoreFail', async () => {
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/hang`, timeout: 150, ignoreFail: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toMatchObject({ status: 0, data: null, error: { code: 'request_timeout' } })
  })

  it('cancels the call when the workflow times out: the execution is aborted and the connection closed', async () => {
    const before = service.closedEarly
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/hang`, timeout: 0, ignoreFail: true }, { options: { timeout: 200 } })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(execution.status).toBe('aborted')
    expect(execution.reason).toBe('timeout')
    expect(jobOf(execution, 'call').status).toBe('aborted')
    await expect.poll(() => service.closedEarly, { timeout: 10_000 }).toBeGreaterThan(before)
  })

  it('follows a same-origin redirect', async () => {
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/to-echo`, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result.url).toBe('/echo?via=redirect')
  })

  it('continues a POST answered 303 as a GET without its body', async () => {
    const { engine, trigger } = serve([requestFlow({ url: `${service.url}/see-other`, data: { a: 1 }, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toMatchObject({ method: 'GET', url: '/echo', body: '' })
  })

  it('refuses a redirect to another host, which never sees the request', async () => {
    const before = other.seen.length
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/to-other` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    const job = jobOf(execution, 'call')
    expect(job.error).toMatchObject({ code: 'request_redirect_refused' })
    expect(job.error?.message).toContain('another origin')
    expect(other.seen.length).toBe(before)
  })

  it('refuses to follow more than maxRedirects redirects', async () => {
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/loop`, maxRedirects: 3 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error?.message).toContain('more than 3 redirects')
  })

  it('refuses a streamed response body larger than maxResponseBytes', async () => {
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/big-stream`, maxResponseBytes: 100_000 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_response_too_large' })
  })

  it('refuses a declared Content-Length over the default 1 MiB cap before reading', async () => {
    const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/big-declared` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_response_too_large' })
  })

  it('fails with request_network when nothing listens, without the query string in the message', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { engine, trigger } = serve([requestFlow({ url: `http://127.0.0.1:${port}/x?token=s3cret` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    const job = jobOf(execution, 'call')
    expect(job.error).toMatchObject({ code: 'request_network' })
    expect(JSON.stringify(execution)).not.toContain('s3cret')
  })

  it('fails with request_invalid for a rendered URL that is not http(s)', async () => {
    const { engine, trigger } = serve([requestFlow({ url: '{{$context.body.target}}' })])
    const { execution } = await callFlow(engine, trigger, 'req', { target: 'file:///etc/passwd' })
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_invalid' })
  })

  it('refuses at register a content-type header, an unknown method and a negative timeout', () => {
    const { engine } = serve([])
    const paths = problemPaths(engine, requestFlow({ url: 'http://x', method: 'TRACE', timeout: -1, headers: [{ name: 'Content-Type', value: 'x' }] }))
    expect(paths).toEqual(expect.arrayContaining(['/nodes/0/config/method', '/nodes/0/config/timeout', '/nodes/0/config/headers']))
  })

  describe('bytes and charsets', () => {
    const get = async (path: string): Promise<unknown> => {
      const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}${path}`, onlyData: true })])
      return (await callFlow(engine, trigger, 'req')).body.result
    }

    it('returns a PNG as { contentType, size, base64 } holding its exact bytes', async () => {
      const data = (await get('/png')) as { contentType: string; size: number; base64: string }
      expect(data).toEqual({ contentType: 'image/png', size: PNG.byteLength, base64: expect.any(String) })
      expect(new Uint8Array(Buffer.from(data.base64, 'base64'))).toEqual(PNG)
    })

    it('decodes text in the charset the answer names: latin-1 and Shift_JIS', async () => {
      expect(await get('/latin1')).toBe('café crème')
      expect(await get('/shift-jis')).toBe('こんにちは')
    })

    it('parses JSON sent in latin-1', async () => {
      expect(await get('/latin1-json')).toEqual({ name: 'Zoë' })
    })

    it('returns text whose bytes are not valid in its charset, or in a charset it cannot decode, as bytes', async () => {
      expect(await get('/bad-utf8')).toMatchObject({ contentType: 'text/plain; charset=utf-8', size: PNG.byteLength })
      expect(await get('/odd-charset')).toEqual({ contentType: 'text/plain; charset=x-klingon', size: 5, base64: Buffer.from('qapla').toString('base64') })
    })

    it('reads an answer without a Content-Type as text when it is UTF-8, else as bytes', async () => {
      expect(await get('/untyped-text')).toBe('ünï')
      expect(await get('/untyped-bytes')).toEqual({ contentType: null, size: PNG.byteLength, base64: Buffer.from(PNG).toString('base64') })
    })

    it('decodes a gzip-encoded answer', async () => {
      expect(await get('/gzip')).toEqual({ packed: 'ünzipped' })
    })
  })

  describe('string data', () => {
    async function sent(config: Record<string, unknown>, body: unknown = {}): Promise<Seen> {
      const { engine, trigger } = serve([requestFlow({ url: `${service.url}/echo`, onlyData: true, ...config })])
      return (await callFlow(engine, trigger, 'req', body)).body.result as Seen
    }

    it('sends a string as it is, as text/plain by default, never JSON-encoded a second time', async () => {
      const seen = await sent({ data: '{"a":1}' })
      expect([seen.body, seen.headers['content-type']]).toEqual(['{"a":1}', 'text/plain; charset=utf-8'])
    })

    it('sends a string as it is with the content type given', async () => {
      const json = await sent({ data: '{"a":1}', contentType: 'application/json' })
      expect([json.body, json.headers['content-type']]).toEqual(['{"a":1}', 'application/json'])
      const xml = await sent({ data: '<a>1</a>', contentType: 'application/xml' })
      expect([xml.body, xml.headers['content-type']]).toEqual(['<a>1</a>', 'application/xml'])
    })

    it('sends a templated string as it is, in UTF-8', async () => {
      const seen = await sent({ data: '{{$context.body.raw}}' }, { raw: 'café ☕ {"b":2}' })
      expect([Buffer.from(seen.base64, 'base64').toString('utf8'), seen.headers['content-type']]).toEqual(['café ☕ {"b":2}', 'text/plain; charset=utf-8'])
    })

    it('still sends an object as JSON, under a +json content type too', async () => {
      const plain = await sent({ data: { a: '{{$context.body.a}}' } }, { a: 1 })
      expect([plain.body, plain.headers['content-type']]).toEqual(['{"a":1}', 'application/json'])
      const vendor = await sent({ data: { a: 2 }, contentType: 'application/vnd.api+json' })
      expect([vendor.body, vendor.headers['content-type']]).toEqual(['{"a":2}', 'application/vnd.api+json'])
    })

    it('refuses at register a content type that is not a media type', () => {
      const { engine } = serve([])
      expect(problemPaths(engine, requestFlow({ url: 'http://x', contentType: 'text/plain\r\nx-evil: 1' }))).toEqual(['/nodes/0/config/contentType'])
    })
  })

  describe('templated numbers', () => {
    async function withQuery(config: Record<string, unknown>, query: string): Promise<Answer> {
      const { engine, trigger } = serve([requestFlow(config)])
      const response = await trigger.fetch(post(`${idPath('req')}?${query}`, {}))
      const body = (await response.json()) as unknown
      return { status: response.status, body, execution: await settledExecution(engine, response) }
    }

    it('reads a templated timeout from the query as a number: the call times out', async () => {
      const { execution } = await withQuery({ url: `${service.url}/hang`, timeout: '{{$context.query.to}}' }, 'to=150')
      expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_timeout' })
      expect(jobOf(execution, 'call').error?.message).toContain('longer than 150 ms')
    })

    it('reads a templated maxRedirects as a number', async () => {
      const { execution } = await withQuery({ method: 'GET', url: `${service.url}/loop`, maxRedirects: '{{$context.query.hops}}' }, 'hops=2')
      expect(jobOf(execution, 'call').error?.message).toContain('more than 2 redirects')
    })

    it('uses the default when the template renders nothing', async () => {
      const { body } = await withQuery({ method: 'GET', url: `${service.url}/text`, timeout: '{{$context.query.to}}', onlyData: true }, 'other=1')
      expect(body).toEqual({ result: 'plain words' })
    })

    it('fails with request_invalid, naming the field, when the rendered value is not a whole number in range', async () => {
      for (const to of ['soon', '-1', '1.5', '9999999999']) {
        const { execution } = await withQuery({ url: `${service.url}/text`, timeout: '{{$context.query.to}}' }, `to=${to}`)
        const error = jobOf(execution, 'call').error
        expect(error, to).toMatchObject({ code: 'request_invalid' })
        expect(error?.message).toContain('timeout must be a whole number from 0 to 3600000')
      }
    })

    it('accepts a literal number written as text at register, and refuses one that is not a number', () => {
      const { engine } = serve([])
      expect(problemPaths(engine, requestFlow({ url: 'http://x', timeout: 'soon', maxResponseBytes: '10', maxRedirects: 21 }))).toEqual([
        '/nodes/0/config/timeout',
        '/nodes/0/config/maxRedirects',
      ])
    })
  })

  describe('onlyData, for every outcome', () => {
    it('gives null for a timed-out call with ignoreFail', async () => {
      const { engine, trigger } = serve([requestFlow({ url: `${service.url}/hang`, timeout: 150, ignoreFail: true, onlyData: true })])
      const { body, execution } = await callFlow(engine, trigger, 'req')
      expect(body).toEqual({ result: null })
      expect(jobOf(execution, 'call')).toMatchObject({ status: 'resolved', result: null })
    })

    it('gives the failed answer’s data with ignoreFail', async () => {
      const { engine, trigger } = serve([requestFlow({ url: `${service.url}/status/503`, ignoreFail: true, onlyData: true })])
      expect((await callFlow(engine, trigger, 'req')).body).toEqual({ result: { error: 'nope' } })
    })

    it('gives null for a call that could not be made, with ignoreFail', async () => {
      const { engine, trigger } = serve([requestFlow({ url: '{{$context.body.target}}', ignoreFail: true, onlyData: true })])
      expect((await callFlow(engine, trigger, 'req', { target: 'ftp://x' })).body).toEqual({ result: null })
    })
  })

  describe('templated values in the URL', () => {
    async function urlSeen(url: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
      const { engine, trigger } = serve([requestFlow({ method: 'GET', url, onlyData: true, ...extra })])
      const { body: answered, execution } = await callFlow(engine, trigger, 'req', body)
      expect(jobOf(execution, 'call').error).toBeNull()
      return (answered.result as Seen).url
    }

    it('percent-encodes a value in the path, so it stays one segment and adds no query', async () => {
      expect(await urlSeen(`${service.url}/items/{{$context.body.id}}`, { id: '../../json?x=1' })).toBe('/items/..%2F..%2Fjson%3Fx%3D1')
      expect(await urlSeen(`${service.url}/items/{{$context.body.id}}/lines`, { id: 'a b/ü#' })).toBe('/items/a%20b%2F%C3%BC%23/lines')
    })

    it('percent-encodes a value in the query, so it adds no parameter', async () => {
      expect(await urlSeen(`${service.url}/items/q?search={{$context.body.q}}&page=1`, { q: 'a&admin=1' })).toBe('/items/q?search=a%26admin%3D1&page=1')
    })

    it('inserts a value before the path as it is: a base URL or a whole URL', async () => {
      expect(await urlSeen('{{$context.body.base}}/items/{{$context.body.id}}', { base: service.url, id: 'x/y' })).toBe('/items/x%2Fy')
      expect(await urlSeen('{{$context.body.target}}', { target: `${service.url}/items/x/y?z=1` })).toBe('/items/x/y?z=1')
    })

    it('keeps every value raw with rawUrlValues: true, or only the listed template paths', async () => {
      const url = `${service.url}/items/{{$context.body.path}}/{{$context.body.id}}`
      const values = { path: 'a/b', id: 'c/d' }
      expect(await urlSeen(url, values, { rawUrlValues: true })).toBe('/items/a/b/c/d')
      expect(await urlSeen(url, values, { rawUrlValues: ['$context.body.path'] })).toBe('/items/a/b/c%2Fd')
    })

    it('refuses a value that makes a dot segment, before calling', async () => {
      const before = service.seen.length
      const { engine, trigger } = serve([requestFlow({ method: 'GET', url: `${service.url}/items/{{$context.body.id}}/x` })])
      const { execution } = await callFlow(engine, trigger, 'req', { id: '..' })
      expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_invalid', message: expect.stringContaining('".." a path segment') })
      expect(service.seen.length).toBe(before)
    })
  })
})
