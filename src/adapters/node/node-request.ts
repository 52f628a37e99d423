/**
 * @module
 * A `Request` for a Node request that builds the real (undici) one only when something asks
 * for more than the core needs. Constructing a Request and reading its body as a web stream
 * costs about 20 µs on Node 20; the core only needs the method, URL, a few headers, the body
 * bytes and word when the client leaves, which this object gives straight from Node
 * (@hono/node-server does the same). To everyone else it is a standard `Request`.
 *
 * ```ts
 * const request = createNodeRequest(req, res)
 * await trigger.fetch(request)
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type FastRequest, HEADER_BYTES, ON_CLIENT_GONE, READ_BYTES, REMOTE_ADDRESS } from '../../http/fast-request.js'
import { nodeHeaders } from './node-headers.js'
import { readNodeBody } from './read-node-body.js'
import { hasBody, requestUrl, type ToRequestOptions, toRequest, trackBodyProgress } from './to-request.js'

function ignore(): void {}

// The Fetch standard refuses these methods (undici throws for them).
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

class NodeRequest {
  readonly #req: IncomingMessage
  readonly #res: ServerResponse
  readonly #options: ToRequestOptions
  #url: string | undefined
  #headers: Headers | undefined
  #real: Request | undefined

  constructor(req: IncomingMessage, res: ServerResponse, options: ToRequestOptions) {
    this.#req = req
    this.#res = res
    this.#options = options
    if (FORBIDDEN_METHODS.has(req.method ?? '')) throw new TypeError(`${req.method} requests cannot be expressed as a Fetch Request`)
    // A reset connection must not become an uncaught 'error' while nobody reads the body.
    req.on('error', ignore)
    // Until someone reads it, the body is unread: early answers drain or close by this.
    trackBodyProgress(req, { state: 'idle', inUse: false, received: 0, release: ignore })
  }

  #materialize(): Request {
    this.#real ??= toRequest(this.#req, this.#res, this.#options)
    return this.#real
  }

  get method(): string {
    return this.#req.method ?? 'GET'
  }
  get url(): string {
    this.#url ??= requestUrl(this.#req, this.#options.url ?? this.#req.url ?? '/')
    return this.#url
  }
  get headers(): Headers {
    if (this.#real) return this.#real.headers
    this.#headers ??= nodeHeaders(this.#req.headers)
    return this.#headers
  }

  /** The fast body path; gone once the real Request exists (its stream owns the body then). */
  get [READ_BYTES](): FastRequest[typeof READ_BYTES] {
    if (this.#real || this.#options.body !== undefined) return undefined
    const req = this.#req
    return (limit, tooLarge, refuseBytes, deadline) => {
      const method = req.method
      if (method === 'GET' || method === 'HEAD' || !hasBody(req)) return Promise.resolve(new Uint8Array(0))
      return readNodeBody(req, limit, tooLarge, refuseBytes, deadline)
    }
  }

  get [REMOTE_ADDRESS](): string | undefined {
    return this.#req.socket?.remoteAddress
  }

  /** From the raw header lines: no Headers iteration (which sorts and joins) on the hot path. */
  [HEADER_BYTES](): number {
    const raw = this.#req.rawHeaders
    let size = 0
    for (let i = 0; i < raw.length; i++) size += raw[i]!.length
    return size + (raw.length / 2) * 4
  }

  [ON_CLIENT_GONE](callback: () => void): () => void {
    const res = this.#res
    const onClose = (): void => {
      if (!res.writableFinished) callback()
    }
    if (res.destroyed && !res.writableFinished) {
      callback()
      return ignore
    }
    // on, not once: the unsubscribe removes it, and once wraps every listener in a bound copy.
    res.on('close', onClose)
    return () => res.off('close', onClose)
  }

  get signal(): AbortSignal {
    return this.#materialize().signal
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialize().body
  }
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false
  }
  get cache(): RequestCache {
    return this.#materialize().cache
  }
  get credentials(): RequestCredentials {
    return this.#materialize().credentials
  }
  get destination(): RequestDestination {
    return this.#materialize().destination
  }
  get integrity(): string {
    return this.#materialize().integrity
  }
  get keepalive(): boolean {
    return this.#materialize().keepalive
  }
  get mode(): RequestMode {
    return this.#materialize().mode
  }
  get redirect(): RequestRedirect {
    return this.#materialize().redirect
  }
  get referrer(): string {
    return this.#materialize().referrer
  }
  get referrerPolicy(): ReferrerPolicy {
    return this.#materialize().referrerPolicy
  }
  get duplex(): 'half' {
    return 'half'
  }
  clone(): Request {
    return this.#materialize().clone()
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#materialize().arrayBuffer()
  }
  blob(): Promise<Blob> {
    return this.#materialize().blob()
  }
  bytes(): Promise<Uint8Array> {
    return (this.#materialize() as Request & { bytes(): Promise<Uint8Array> }).bytes()
  }
  formData(): Promise<FormData> {
    return this.#materialize().formData()
  }
  json(): Promise<unknown> {
    return this.#materialize().json()
  }
  text(): Promise<string> {
    return this.#materialize().text()
  }
}

// `instanceof Request` holds; every member above shadows the native one.
Object.setPrototypeOf(NodeRequest.prototype, Request.prototype)

export function createNodeRequest(req: IncomingMessage, res: ServerResponse, options: ToRequestOptions = {}): Request {
  return new NodeRequest(req, res, options) as unknown as Request
}
