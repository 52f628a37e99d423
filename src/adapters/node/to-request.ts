/**
 * @module
 * Node request in, standard `Request` out: the first half of the Node bridge that node:http,
 * Express and Fastify share. The body is pulled from the socket only as fast as the handler
 * reads it, and the Request's `signal` fires when the client goes away before the answer.
 *
 * ```ts
 * http.createServer(async (req, res) => {
 *   const request = toRequest(req, res)
 *   await writeResponse(res, await trigger.fetch(request), req)
 * })
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'

/**
 * What `toRequest` takes: the path to use instead of `req.url`, and a body a framework already read.
 *
 * @example
 * ```ts
 * import type { ToRequestOptions } from 'hookflow/node'
 *
 * const options: ToRequestOptions = { url: '/hooks/pay', body: Buffer.from('{"id":1}') }
 * ```
 */
export interface ToRequestOptions {
  /** Path and query to use instead of `req.url`; Express passes `req.originalUrl`. */
  url?: string
  /**
   * The body bytes a framework already read from the socket (`express.raw()` gives a Buffer,
   * `express.text()` a string): the Request is built from them instead of the socket.
   */
  body?: Uint8Array | string
}

/** How far the bridge got with one request's body; `writeResponse` reads it for early answers. */
export interface RequestBodyProgress {
  /** `idle` until the handler first reads; `reading` until it cancels or the body ends. */
  readonly state: 'idle' | 'reading' | 'cancelled' | 'ended'
  /** True while someone reads or holds a reader on the body (it may be piped into the answer). */
  readonly inUse: boolean
  /** Bytes handed to the body stream so far. */
  readonly received: number
  /** Stops feeding the body stream, so the rest of the body can be discarded. */
  release(): void
}

// Kept on the Node request under a private symbol, not in a WeakMap: the entry's closures hold
// the request, and V8's young-generation GC treats a WeakMap value as live while its key is in
// question, so every request (socket buffers included) was promoted to the old generation and
// cost a full GC later. The symbol is module-private, so nothing else reads or clobbers it.
const PROGRESS = Symbol('hookflow.body-progress')

type Tracked = IncomingMessage & { [PROGRESS]?: RequestBodyProgress }

/** The body progress `toRequest` recorded for `req`, if it built a Request from it. */
export function bodyProgressOf(req: IncomingMessage): RequestBodyProgress | undefined {
  return (req as Tracked)[PROGRESS]
}

/** Records how far another reader of `req`'s body got (the fast path of `createNodeRequest`). */
export function trackBodyProgress(req: IncomingMessage, entry: RequestBodyProgress): void {
  ;(req as Tracked)[PROGRESS] = entry
}

/**
 * Builds a standard `Request` from a node:http request: its body streamed from the socket, its `signal` fired when the client goes away.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { toRequest, writeResponse } from 'hookflow/node'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine() })
 * http.createServer(async (req, res) => {
 *   const response = await trigger.fetch(toRequest(req, res))
 *   await writeResponse(res, response, req)
 * }).listen(3000)
 * ```
 */
export function toRequest(req: IncomingMessage, res: ServerResponse, options: ToRequestOptions = {}): Request {
  const method = req.method ?? 'GET'
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers: toHeaders(req),
    signal: disconnectSignal(req, res),
  }
  if (options.body !== undefined) {
    if (method !== 'GET' && method !== 'HEAD') setBody(init, options.body)
  } else if (method !== 'GET' && method !== 'HEAD' && hasBody(req)) {
    init.body = bodyStream(req)
    // Required by undici for a stream body; the request body is sent before the response.
    init.duplex = 'half'
  }
  return new Request(requestUrl(req, options.url ?? req.url ?? '/'), init)
}

export function requestUrl(req: IncomingMessage, target: string): string {
  const protocol = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http'
  const host = req.headers.host
  // The Host header is client input: anything that is not a plain host[:port] (userinfo, a
  // path, spaces) would let a client change what the URL means, so it falls back to localhost.
  const authority = host !== undefined && validHost(protocol, host) ? host : 'localhost'
  return `${protocol}://${authority}${pathOf(target)}`
}

const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

// The last host found valid: a server sees the same one or few on nearly every request.
let lastValidHost: string | undefined

// On every request: the regex and a port check decide; only a bracketed IPv6 literal needs
// the (slower) URL parser to be sure.
function validHost(protocol: string, host: string): boolean {
  if (host === lastValidHost) return true
  if (!HOST.test(host)) return false
  if (host.startsWith('[') && !URL.canParse(`${protocol}://${host}`)) return false
  const colon = host.lastIndexOf(':')
  if (!host.startsWith('[') && colon >= 0 && Number(host.slice(colon + 1)) > 65_535) return false
  lastValidHost = host
  return true
}

function pathOf(target: string): string {
  if (target.startsWith('/')) return target
  // Absolute-form targets (`POST http://example.com/x`, sent to proxies) keep only path and query.
  if (URL.canParse(target)) {
    const url = new URL(target)
    return url.pathname + url.search
  }
  return '/'
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 compatibility requests list `:method`, `:path`... among their headers.
    if (value === undefined || name.startsWith(':')) continue
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else headers.append(name, value)
  }
  return headers
}

function setBody(init: RequestInit, body: Uint8Array | string): void {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  const headers = init.headers as Headers
  // The bytes were read already (and maybe decoded from another charset): their own length is
  // the one that counts, and they are no longer chunked.
  headers.delete('transfer-encoding')
  headers.set('content-length', String(bytes.byteLength))
  init.body = bytes as Uint8Array<ArrayBuffer>
}

export function hasBody(req: IncomingMessage): boolean {
  // HTTP/1.1 frames a request body only with Transfer-Encoding or a non-zero Content-Length.
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function disconnectSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  const abort = (): void => {
    if (res.writableFinished || controller.signal.aborted) return
    controller.abort(new DOMException('The client went away before the response was sent', 'AbortError'))
  }
  res.once('close', abort)
  // An error listener also keeps a reset connection from becoming an uncaught 'error'.
  req.on('error', abort)
  return controller.signal
}

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  const entry = {
    state: 'idle' as RequestBodyProgress['state'],
    received: 0,
    get inUse(): boolean {
      return entry.state === 'reading' || (entry.state === 'idle' && stream.locked)
    },
    release,
  }
  trackBodyProgress(req, entry)

  function onData(chunk: Buffer): void {
    entry.received += chunk.byteLength
    controller?.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    // Backpressure: the socket is read again only when the handler asks for more.
    if ((controller?.desiredSize ?? 0) <= 0) req.pause()
  }
  function onEnd(): void {
    detach()
    entry.state = 'ended'
    controller?.close()
  }
  function onError(error: unknown): void {
    detach()
    entry.state = 'ended'
    controller?.error(error)
  }
  function onClose(): void {
    if (entry.state === 'reading') onError(new Error('The request closed before its body ended'))
  }
  function detach(): void {
    req.off('data', onData)
    req.off('end', onEnd)
    req.off('error', onError)
    req.off('close', onClose)
  }
  function release(): void {
    if (entry.state !== 'reading' && entry.state !== 'idle') return
    detach()
    entry.state = 'cancelled'
    controller?.error(new Error('The request body was abandoned after the response was sent'))
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
      },
      pull() {
        if (entry.state === 'idle') {
          if (req.readableEnded) return onEnd()
          entry.state = 'reading'
          req.on('data', onData)
          req.on('end', onEnd)
          req.on('error', onError)
          req.on('close', onClose)
        }
        req.resume()
      },
      cancel() {
        // Pause, never destroy: the socket must stay open to carry the answer (often a 413).
        // `writeResponse` then drains the rest or closes the connection cleanly.
        detach()
        entry.state = 'cancelled'
        req.pause()
      },
    },
    // High-water mark 0: nothing is read from the socket before the handler asks for it, so a
    // request answered without reading its body (404, 401, 415) has pulled no bytes at all.
    { highWaterMark: 0 },
  )
  return stream
}
