import { createHash } from 'node:crypto'
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createListener, toRequest, writeResponse } from '../../src/adapters/node/index.js'
import { createResponse } from '../../src/http/light-response.js'

const MiB = 1024 * 1024
const servers: Server[] = []

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

async function serve(listener: http.RequestListener): Promise<{ origin: string; port: number; server: Server }> {
  const server = http.createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, port, server }
}

/** A real fetch handler's habit: read with a byte limit, cancel the reader past it, answer 413. */
async function readLimited(request: Request, limit: number, checkLength = true): Promise<Uint8Array | Response> {
  const tooLarge = (): Response => Response.json({ error: { code: 'payload_too_large' } }, { status: 413 })
  if (checkLength && Number(request.headers.get('content-length') ?? 0) > limit) {
    await request.body?.cancel()
    return tooLarge()
  }
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel()
      return tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

const limited = (limit: number, checkLength = true) => ({
  async fetch(request: Request): Promise<Response> {
    const body = await readLimited(request, limit, checkLength)
    return body instanceof Response ? body : new Response(`got ${body.byteLength}`)
  },
})

interface RawAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  rawHeaders: string[]
  body: Buffer
  reusedSocket: boolean
}

/** node:http, for what fetch hides: raw header lines, socket reuse, bodies written by hand. */
function rawRequest(
  url: string,
  options: http.RequestOptions & { body?: Buffer | AsyncIterable<Buffer> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const { body, ...rest } = options
    const req = http.request(url, rest, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
          reusedSocket: req.reusedSocket,
        }),
      )
    })
    req.on('error', reject)
    if (body === undefined || Buffer.isBuffer(body)) return void req.end(body)
    void (async () => {
      for await (const chunk of body) {
        if (req.destroyed) return
        if (!req.write(chunk)) await drainOrClose(req)
      }
      req.end()
    })()
  })
}

function drainOrClose(stream: http.ClientRequest | net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done).off('close', done)
      resolve()
    }
    stream.on('drain', done).on('close', done)
  })
}

async function* chunks(total: number, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let sent = 0; sent < total; sent += size) yield Buffer.alloc(Math.min(size, total - sent), sent % 251)
}

function streamOf(total: number, size = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close()
      const chunk = new Uint8Array(Math.min(size, total - sent)).fill(sent % 251)
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function toHeaders(pairs: Array<[string, string]>): Headers {
  const headers = new Headers()
  for (const [name, value] of pairs) headers.append(name, value)
  return headers
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** How long `within` waits for something that should happen at once: only a failure takes it. */
const WAIT = 15_000

/**
 * `read()` once it stops changing: the same value in three samples 50 ms apart (at most
 * `WAIT`). A socket that is being read keeps counting up; a paused one settles, however busy
 * the machine is, where a fixed sleep could measure a pause that has not happened yet.
 */
async function settled(read: () => number): Promise<number> {
  let last = read()
  let same = 0
  for (const started = Date.now(); same < 2 && Date.now() - started < WAIT; ) {
    await sleep(50)
    const now = read()
    same = now === last ? same + 1 : 0
    last = now
  }
  return last
}

describe('the Node bridge', () => {
  it('hands the handler the method, absolute URL, headers and body of the request', async () => {
    const { origin, port } = await serve(
      createListener({
        async fetch(request) {
          return Response.json({
            method: request.method,
            url: request.url,
            type: request.headers.get('content-type'),
            custom: request.headers.get('x-custom'),
            body: await request.text(),
          })
        },
      }),
    )
    const response = await fetch(`${origin}/api/webhook:trigger/abc?x=1&y=2`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: '{"hello":"world"}',
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      method: 'PUT',
      url: `http://127.0.0.1:${port}/api/webhook:trigger/abc?x=1&y=2`,
      type: 'application/json',
      custom: 'yes',
      body: '{"hello":"world"}',
    })
  })

  it('joins repeated request headers the way Node does', async () => {
    const { origin } = await serve(
      createListener({ fetch: (request) => new Response(request.headers.get('x-multi')) }),
    )
    const answer = await rawRequest(`${origin}/`, { headers: { 'x-multi': ['a', 'b'] } })
    expect(answer.body.toString()).toBe('a, b')
  })

  it('builds the URL from options.url, so a mounted adapter can pass the original path', async () => {
    const { origin, port } = await serve(async (req, res) => {
      const request = toRequest(req, res, { url: '/mounted/hook?q=1' })
      await writeResponse(res, new Response(request.url), req)
    })
    const response = await fetch(`${origin}/hook`)
    expect(await response.text()).toBe(`http://127.0.0.1:${port}/mounted/hook?q=1`)
  })

  it('falls back to localhost when the Host header is not a plain host', async () => {
    const { origin } = await serve(createListener({ fetch: (request) => new Response(request.url) }))
    const answer = await rawRequest(`${origin}/path?a=1`, { headers: { host: 'evil.example/x?@other' } })
    expect(answer.body.toString()).toBe('http://localhost/path?a=1')
  })

  it('judges each Host header on its own, whatever came before', async () => {
    const { origin } = await serve(createListener({ fetch: (request) => new Response(request.url) }))
    const hosts: Array<[string, string]> = [
      ['hooks.example:8080', 'http://hooks.example:8080/'],
      ['hooks.example:8080', 'http://hooks.example:8080/'],
      ['hooks.example:80800', 'http://localhost/'],
      ['hooks.example:8080@evil', 'http://localhost/'],
      ['[::1]:3000', 'http://[::1]:3000/'],
      ['[::1', 'http://localhost/'],
      ['hooks.example:8080', 'http://hooks.example:8080/'],
    ]
    for (const [host, url] of hosts) {
      const answer = await rawRequest(`${origin}/`, { headers: { host } })
      expect([host, answer.body.toString()]).toEqual([host, url])
    }
  })

  it('streams a large request body through to the response', async () => {
    const size = 16 * MiB
    const { origin } = await serve(createListener({ fetch: (request) => new Response(request.body) }))
    const sent = createHash('sha256')
    const source = streamOf(size).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sent.update(chunk)
          controller.enqueue(chunk)
        },
      }),
    )
    const response = await fetch(`${origin}/echo`, { method: 'POST', body: source, duplex: 'half' } as RequestInit)
    const received = createHash('sha256')
    let length = 0
    const reader = response.body!.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received.update(read.value)
      length += read.value.byteLength
    }
    expect(length).toBe(size)
    expect(received.digest('hex')).toBe(sent.digest('hex'))
  })

  it('reads nothing more from the socket while the handler is not reading the body', async () => {
    let seen: number[] = []
    const { origin } = await serve(async (req, res) => {
      const request = toRequest(req, res)
      const reader = request.body!.getReader()
      await reader.read()
      const before = await settled(() => req.socket.bytesRead)
      await sleep(200)
      seen = [before, req.socket.bytesRead]
      await reader.cancel()
      await writeResponse(res, new Response('stopped', { status: 413 }), req)
    })
    const answer = await rawRequest(`${origin}/`, { method: 'POST', body: chunks(32 * MiB) })
    expect(answer.status).toBe(413)
    const [before, after] = seen
    expect(after).toBe(before)
    // Headers, one chunk and Node's own buffers: far from the 32 MiB the client offered.
    expect(after).toBeLessThan(2 * MiB)
  })

  it('stops reading the socket once the handler cancels the body', async () => {
    let seen: number[] = []
    const { origin } = await serve(async (req, res) => {
      const request = toRequest(req, res)
      const reader = request.body!.getReader()
      await reader.read()
      await reader.cancel()
      const before = await settled(() => req.socket.bytesRead)
      await sleep(200)
      seen = [before, req.socket.bytesRead]
      await writeResponse(res, new Response('cancelled', { status: 413 }), req)
    })
    const answer = await rawRequest(`${origin}/`, { method: 'POST', body: chunks(32 * MiB) })
    expect(answer.status).toBe(413)
    expect(seen[1]).toBe(seen[0])
    expect(seen[1]).toBeLessThan(2 * MiB)
  })

  it('does not pull the response body faster than the client reads it', async () => {
    const size = 64 * MiB
    let produced = 0
    const { origin } = await serve(
      createListener({
        fetch: () =>
          new Response(
            new ReadableStream({
              pull(controller) {
                if (produced >= size) return controller.close()
                produced += 64 * 1024
                controller.enqueue(new Uint8Array(64 * 1024))
              },
            }),
          ),
      }),
    )
    const { producedWhilePaused, received } = await new Promise<{ producedWhilePaused: number; received: number }>(
      (resolve, reject) => {
        http
          .get(`${origin}/`, (res) => {
            res.pause()
            setTimeout(() => {
              const producedWhilePaused = produced
              let received = 0
              res.on('data', (chunk: Buffer) => (received += chunk.byteLength))
              res.on('end', () => resolve({ producedWhilePaused, received }))
              res.resume()
            }, 300)
          })
          .on('error', reject)
      },
    )
    // Kernel and stream buffers hold a few MiB at most; without backpressure all 64 MiB would be gone.
    expect(producedWhilePaused).toBeLessThan(24 * MiB)
    expect(received).toBe(size)
  })

  it('sends repeated set-cookie headers as separate header lines', async () => {
    const { origin } = await serve(
      createListener({
        fetch() {
          const headers = new Headers({ 'content-type': 'text/plain' })
          headers.append('set-cookie', 'a=1; Path=/')
          headers.append('set-cookie', 'b=2; HttpOnly')
          return new Response('ok', { status: 201, statusText: 'Made', headers })
        },
      }),
    )
    const answer = await rawRequest(`${origin}/`)
    const cookieLines: string[] = []
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      if (answer.rawHeaders[i]!.toLowerCase() === 'set-cookie') cookieLines.push(answer.rawHeaders[i + 1]!)
    }
    expect(cookieLines).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
    expect(answer.status).toBe(201)
    expect(answer.body.toString()).toBe('ok')
  })

  for (const [kind, make] of [
    ['a light Response', (headers: Array<[string, string]>) => createResponse('{}', 200, headers)],
    ['a standard Response', (headers: Array<[string, string]>) => new Response('{}', { headers: toHeaders(headers) })],
  ] as const) {
    it(`lets the headers of ${kind} replace those set before it and keeps the others`, async () => {
      const { origin } = await serve((req, res) => {
        // What an Express or Fastify app does before the bridge answers.
        res.setHeader('content-type', 'text/html')
        res.setHeader('set-cookie', 'app=1')
        res.setHeader('x-frame-options', 'DENY')
        const headers: Array<[string, string]> = [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]
        void writeResponse(res, make(headers), req)
      })
      const answer = await rawRequest(`${origin}/`)
      const lines = (name: string): string[] =>
        answer.rawHeaders.filter((_, i) => i % 2 === 1 && answer.rawHeaders[i - 1]!.toLowerCase() === name)
      expect(lines('content-type')).toEqual(['application/json'])
      expect(lines('set-cookie')).toEqual(['a=1', 'b=2'])
      expect(lines('x-frame-options')).toEqual(['DENY'])
    })
  }

  it('sends the status text of the Response', async () => {
    const { origin } = await serve(createListener({ fetch: () => new Response('ok', { status: 202, statusText: 'Queued' }) }))
    const response = await fetch(origin)
    expect([response.status, response.statusText]).toEqual([202, 'Queued'])
  })

  it('gives a body that is ready at once a Content-Length', async () => {
    const { origin } = await serve(createListener({ fetch: () => new Response('hello world') }))
    const answer = await rawRequest(`${origin}/`)
    expect(answer.headers['content-length']).toBe('11')
    expect(answer.headers['transfer-encoding']).toBeUndefined()
  })

  it('resolves writeResponse once a whole answer is handed to Node, before a slow client has read it', async () => {
    const size = 32 * MiB
    let handed!: () => void
    const wrote = new Promise<void>((resolve) => (handed = resolve))
    const { port } = await serve((req, res) => void writeResponse(res, createResponse(new Uint8Array(size).fill(97), 200, []), req).then(handed))
    const socket = net.connect(port, '127.0.0.1')
    socket.pause()
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
    // Far more than the socket buffers hold: the response cannot have finished yet.
    await wrote
    let received = 0
    socket.on('data', (chunk: Buffer) => (received += chunk.length))
    const closed = new Promise((resolve) => socket.on('close', resolve))
    socket.resume()
    await closed
    expect(received).toBeGreaterThan(size)
  })

  it('streams a response body chunk by chunk as the handler produces it', async () => {
    let firstArrived!: () => void
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve))
    const { origin } = await serve(
      createListener({
        fetch() {
          const encoder = new TextEncoder()
          let step = 0
          return new Response(
            new ReadableStream({
              async pull(controller) {
                step += 1
                if (step === 1) return controller.enqueue(encoder.encode('first;'))
                // The second chunk exists only once the client has seen the first one.
                await arrived
                controller.enqueue(encoder.encode('second'))
                controller.close()
              },
            }),
          )
        },
      }),
    )
    const parts: string[] = []
    const answer = await within(
      new Promise<http.IncomingMessage>((resolve, reject) => {
        http
          .get(`${origin}/`, (res) => {
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => {
              parts.push(chunk)
              if (parts.length === 1) firstArrived()
            })
            res.on('end', () => resolve(res))
          })
          .on('error', reject)
      }),
      WAIT,
      'the streamed answer',
    )
    expect(parts).toEqual(['first;', 'second'])
    expect(answer.headers['transfer-encoding']).toBe('chunked')
  })

  it('answers a HEAD request with the headers of GET and no body', async () => {
    const { origin } = await serve(
      createListener({ fetch: () => new Response('hello world', { headers: { 'x-kind': 'greeting' } }) }),
    )
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const head = await rawRequest(`${origin}/`, { method: 'HEAD', agent })
      expect(head.status).toBe(200)
      expect(head.headers['content-length']).toBe('11')
      expect(head.headers['x-kind']).toBe('greeting')
      expect(head.body.byteLength).toBe(0)
      // No stray body bytes were written: the same connection carries the next answer intact.
      const get = await rawRequest(`${origin}/`, { agent })
      expect(get.reusedSocket).toBe(true)
      expect(get.body.toString()).toBe('hello world')
    } finally {
      agent.destroy()
    }
  })
})

describe('early answers', () => {
  it('answers 413 to a 2 MiB chunked body and the same fetch client then gets a normal answer', async () => {
    const { origin } = await serve(createListener(limited(MiB)))
    const tooLarge = await fetch(`${origin}/`, { method: 'POST', body: streamOf(2 * MiB), duplex: 'half' } as RequestInit)
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.headers.get('connection')).toBe('close')
    expect(await tooLarge.json()).toEqual({ error: { code: 'payload_too_large' } })
    const next = await fetch(`${origin}/`, { method: 'POST', body: 'small' })
    expect(next.status).toBe(200)
    expect(await next.text()).toBe('got 5')
  })

  it('closes the connection cleanly after a 413 to a chunked body, and the keep-alive agent goes on', async () => {
    const { origin, server } = await serve(createListener(limited(MiB)))
    const closed: Promise<void>[] = []
    server.on('connection', (socket: net.Socket) => closed.push(new Promise((r) => socket.once('close', () => r()))))
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const tooLarge = await rawRequest(`${origin}/`, { method: 'POST', agent, body: chunks(2 * MiB) })
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.headers.connection).toBe('close')
      // The server side of that connection is gone, not left paused.
      await within(closed[0]!, WAIT, 'the close of the first connection')
      const next = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.from('hello') })
      expect(next.status).toBe(200)
      expect(next.body.toString()).toBe('got 5')
    } finally {
      agent.destroy()
    }
  })

  it('answers 413 to a declared Content-Length of 5 MiB without reading it', async () => {
    let received = -1
    const { origin } = await serve(async (req, res) => {
      const request = toRequest(req, res)
      const body = await readLimited(request, MiB)
      received = req.socket.bytesRead
      await writeResponse(res, body instanceof Response ? body : new Response('ok'), req)
    })
    const answer = await rawRequest(`${origin}/`, {
      method: 'POST',
      headers: { 'content-length': String(5 * MiB) },
      body: chunks(5 * MiB),
    })
    expect(answer.status).toBe(413)
    expect(answer.headers.connection).toBe('close')
    expect(received).toBeLessThan(MiB)
  })

  it('delivers the 413 to a client that sends its whole body before reading the answer', async () => {
    const { port } = await serve(createListener(limited(MiB)))
    const size = 8 * MiB
    const statusLine = await within(
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1')
        // Nothing is read until the whole body has been written: the answer waits in the kernel,
        // where a reset would destroy it.
        socket.pause()
        socket.on('error', reject)
        socket.on('connect', async () => {
          socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`)
          for await (const chunk of chunks(size)) {
            if (!socket.write(chunk)) await drainOrClose(socket)
          }
          await sleep(50)
          let text = ''
          socket.setEncoding('latin1')
          socket.on('data', (chunk: string) => (text += chunk))
          socket.on('end', () => {
            socket.destroy()
            resolve(text.split('\r\n')[0] ?? '')
          })
          socket.resume()
          socket.end()
        })
      }),
      WAIT,
      'the answer to the raw client',
    )
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large')
  })

  it('drains a small unread body and keeps the connection alive', async () => {
    const { origin } = await serve(
      createListener({ fetch: () => Response.json({ error: { code: 'unauthorized' } }, { status: 401 }) }),
    )
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const refused = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.alloc(32 * 1024, 1) })
      expect(refused.status).toBe(401)
      expect(refused.headers.connection).toBe('keep-alive')
      const next = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.alloc(10, 1) })
      expect(next.status).toBe(401)
      expect(next.reusedSocket).toBe(true)
    } finally {
      agent.destroy()
    }
  })

  it('keeps the connection alive after a 413 when the rest of the body is small', async () => {
    // Reads up to the limit without looking at Content-Length: 16 KiB at most are left unread.
    const { origin } = await serve(createListener(limited(MiB, false)))
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const tooLarge = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.alloc(MiB + 16 * 1024, 1) })
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.headers.connection).toBe('keep-alive')
      const next = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.from('hello') })
      expect(next.reusedSocket).toBe(true)
      expect(next.body.toString()).toBe('got 5')
    } finally {
      agent.destroy()
    }
  })

  it('drains a large rest when drainLimit allows it, so the next request on the socket is not blocked', async () => {
    const { origin } = await serve(
      createListener(
        {
          async fetch(request) {
            if (request.body === null) return new Response('no body')
            const reader = request.body.getReader()
            await reader.read()
            await reader.cancel()
            return new Response('too large', { status: 413 })
          },
        },
        { drainLimit: 8 * MiB },
      ),
    )
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const tooLarge = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.alloc(2 * MiB, 1) })
      expect(tooLarge.status).toBe(413)
      expect(tooLarge.headers.connection).toBe('keep-alive')
      const next = await within(rawRequest(`${origin}/`, { agent }), WAIT, 'the next request on the socket')
      expect(next.reusedSocket).toBe(true)
      expect(next.body.toString()).toBe('no body')
    } finally {
      agent.destroy()
    }
  })

  it('leaves no listeners behind on a keep-alive socket that serves many early answers', async () => {
    const sockets = new Set<net.Socket>()
    const listener = createListener({ fetch: () => new Response('no', { status: 401 }) })
    const { origin } = await serve((req, res) => {
      sockets.add(req.socket)
      listener(req, res)
    })
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < 20; i++) {
        const answer = await rawRequest(`${origin}/`, { method: 'POST', agent, body: Buffer.from('{"a":1}') })
        expect(answer.status).toBe(401)
      }
    } finally {
      agent.destroy()
    }
    expect(sockets.size).toBe(1)
    const [socket] = sockets
    // Node's own listeners only; one more per request would mean a leak.
    expect(socket!.listenerCount('close')).toBeLessThanOrEqual(2)
    expect(socket!.listenerCount('end')).toBeLessThanOrEqual(2)
  })

  it('closes instead of draining when the unread rest is larger than drainLimit', async () => {
    const { origin } = await serve(
      createListener({ fetch: () => new Response('no', { status: 401 }) }, { drainLimit: 1024 }),
    )
    const refused = await rawRequest(`${origin}/`, { method: 'POST', body: Buffer.alloc(256 * 1024, 1) })
    expect(refused.status).toBe(401)
    expect(refused.headers.connection).toBe('close')
  })
})

describe('the request signal and errors', () => {
  it('answers 400 to a request the Fetch API cannot express', async () => {
    const onError = vi.fn()
    const fetchHandler = vi.fn(() => new Response('unreachable'))
    const { origin } = await serve(createListener({ fetch: fetchHandler }, { onError }))
    const answer = await rawRequest(`${origin}/`, { method: 'TRACE' })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body.toString())).toEqual({ error: { code: 'bad_request', message: 'Malformed request' } })
    expect(fetchHandler).not.toHaveBeenCalled()
  })

  it('fires the request signal when the client goes away during a slow handler', async () => {
    let started!: () => void
    const handlerStarted = new Promise<void>((resolve) => (started = resolve))
    let aborted!: (reason: unknown) => void
    const signalFired = new Promise<unknown>((resolve) => (aborted = resolve))
    const { origin } = await serve(
      createListener({
        async fetch(request) {
          request.signal.addEventListener('abort', () => aborted(request.signal.reason))
          started()
          // Slow until the client goes: no fixed time for a busy machine to overrun.
          await signalFired
          return new Response('too late')
        },
      }),
    )
    const client = http.request(`${origin}/slow`, { method: 'POST' })
    client.on('error', () => undefined)
    client.end('{}')
    await within(handlerStarted, WAIT, 'the handler start')
    client.destroy()
    const reason = await within(signalFired, WAIT, 'the abort signal')
    expect((reason as Error).name).toBe('AbortError')
  })

  it('leaves the request signal alone when the answer was sent', async () => {
    let signal: AbortSignal | undefined
    const { origin } = await serve(
      createListener({
        fetch(request) {
          signal = request.signal
          return new Response('done')
        },
      }),
    )
    expect(await (await fetch(origin)).text()).toBe('done')
    await sleep(50)
    expect(signal?.aborted).toBe(false)
  })

  it('answers 500 with a JSON error and reports what the handler threw', async () => {
    const onError = vi.fn()
    const failure = new Error('database exploded at /secret/path')
    const { origin } = await serve(
      createListener(
        {
          fetch() {
            throw failure
          },
        },
        { onError },
      ),
    )
    const response = await fetch(`${origin}/`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toContain('application/json')
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Internal error' } })
    expect(text).not.toContain('secret')
    expect(onError).toHaveBeenCalledWith(failure)
  })

  it('calls a class handler with itself as this, and a detached arrow fetch as is', async () => {
    class Greeter {
      readonly word = 'hello'
      fetch(): Response {
        return new Response(this.word)
      }
    }
    class Arrow {
      readonly word = 'arrow'
      fetch = (): Response => new Response(this.word)
    }
    const greeter = await serve(createListener(new Greeter()))
    const arrow = await serve(createListener({ fetch: new Arrow().fetch }))
    expect(await (await fetch(greeter.origin)).text()).toBe('hello')
    expect(await (await fetch(arrow.origin)).text()).toBe('arrow')
  })
})
