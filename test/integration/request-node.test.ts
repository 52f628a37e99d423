import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnyNodeDefinition as NodeDefinition } from '../../src/index.js'
import { problemPaths } from '../engine/helpers.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from '../nodes/node-flows.js'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

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
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
    this.seen.push(seen)
    const path = new URL(seen.url, 'http://x').pathname
    if (path === '/echo') return json(res, 200, seen)
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

describe('request node against a real HTTP server', () => {
  it('sends the templated method, query, headers and JSON body, and returns status, headers and parsed data', async () => {
    const { engine, trigger } = setup([
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
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/text`, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toBe('plain words')
  })

  it('sends a form body and a text body as their content types', async () => {
    const { engine, trigger } = setup([
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
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/status/503` })])
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
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/status/422`, ignoreFail: true })])
    const { status, body, execution } = await callFlow(engine, trigger, 'req')
    expect(status).toBe(200)
    expect(body.result).toMatchObject({ status: 422, data: { error: 'nope' } })
    expect(execution.status).toBe('resolved')
  })

  it('fails with request_timeout when the server does not answer within timeout', async () => {
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/hang`, timeout: 150 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(execution.status).toBe('error')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_timeout' })
  })

  it('gives status 0 and the error as the result of a timed-out call with ignoreFail', async () => {
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/hang`, timeout: 150, ignoreFail: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toMatchObject({ status: 0, data: null, error: { code: 'request_timeout' } })
  })

  it('cancels the call when the workflow times out: the execution is aborted and the connection closed', async () => {
    const before = service.closedEarly
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/hang`, timeout: 0, ignoreFail: true }, { options: { timeout: 200 } })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(execution.status).toBe('aborted')
    expect(execution.reason).toBe('timeout')
    expect(jobOf(execution, 'call').status).toBe('aborted')
    await expect.poll(() => service.closedEarly).toBeGreaterThan(before)
  })

  it('follows a same-origin redirect', async () => {
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/to-echo`, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result.url).toBe('/echo?via=redirect')
  })

  it('continues a POST answered 303 as a GET without its body', async () => {
    const { engine, trigger } = setup([requestFlow({ url: `${service.url}/see-other`, data: { a: 1 }, onlyData: true })])
    const { body } = await callFlow(engine, trigger, 'req')
    expect(body.result).toMatchObject({ method: 'GET', url: '/echo', body: '' })
  })

  it('refuses a redirect to another host, which never sees the request', async () => {
    const before = other.seen.length
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/to-other` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    const job = jobOf(execution, 'call')
    expect(job.error).toMatchObject({ code: 'request_redirect_refused' })
    expect(job.error?.message).toContain('another origin')
    expect(other.seen.length).toBe(before)
  })

  it('refuses to follow more than maxRedirects redirects', async () => {
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/loop`, maxRedirects: 3 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error?.message).toContain('more than 3 redirects')
  })

  it('refuses a streamed response body larger than maxResponseBytes', async () => {
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/big-stream`, maxResponseBytes: 100_000 })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_response_too_large' })
  })

  it('refuses a declared Content-Length over the default 1 MiB cap before reading', async () => {
    const { engine, trigger } = setup([requestFlow({ method: 'GET', url: `${service.url}/big-declared` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_response_too_large' })
  })

  it('fails with request_network when nothing listens, without the query string in the message', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { engine, trigger } = setup([requestFlow({ url: `http://127.0.0.1:${port}/x?token=s3cret` })])
    const { execution } = await callFlow(engine, trigger, 'req')
    const job = jobOf(execution, 'call')
    expect(job.error).toMatchObject({ code: 'request_network' })
    expect(JSON.stringify(execution)).not.toContain('s3cret')
  })

  it('fails with request_invalid for a rendered URL that is not http(s)', async () => {
    const { engine, trigger } = setup([requestFlow({ url: '{{$context.body.target}}' })])
    const { execution } = await callFlow(engine, trigger, 'req', { target: 'file:///etc/passwd' })
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_invalid' })
  })

  it('refuses at register a content-type header, an unknown method and a negative timeout', () => {
    const { engine } = setup([])
    const paths = problemPaths(engine, requestFlow({ url: 'http://x', method: 'TRACE', timeout: -1, headers: [{ name: 'Content-Type', value: 'x' }] }))
    expect(paths).toEqual(expect.arrayContaining(['/nodes/0/config/method', '/nodes/0/config/timeout', '/nodes/0/config/headers']))
  })
})
