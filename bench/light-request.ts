/**
 * A `Request` that offers the core the fast paths the Node bridge offers (body bytes at once,
 * headers by lookup, no AbortSignal), for measuring the core's own cost in process: with a
 * standard `Request`, building it and its body stream costs more than the core itself.
 */
const READ_BYTES = Symbol.for('hookflow.read-bytes')
const ON_CLIENT_GONE = Symbol.for('hookflow.on-client-gone')
const HEADER_BYTES = Symbol.for('hookflow.header-bytes')

export function lightRequestMaker(headers: Record<string, string>, body: string): (url: string) => Request {
  const bytes = new TextEncoder().encode(body)
  const lower: Record<string, string> = { 'content-length': String(bytes.length), host: '127.0.0.1' }
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value
  const size = Object.entries(lower).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
  class LightHeaders {
    get(name: string): string | null {
      return lower[name.toLowerCase()] ?? null
    }
    has(name: string): boolean {
      return name.toLowerCase() in lower
    }
  }
  Object.setPrototypeOf(LightHeaders.prototype, Headers.prototype)
  const shared = new LightHeaders()
  class LightRequest {
    constructor(readonly url: string) {}
    get method(): string {
      return 'POST'
    }
    get headers(): Headers {
      return shared as unknown as Headers
    }
    get [READ_BYTES](): () => Promise<Uint8Array> {
      return () => Promise.resolve(bytes)
    }
    [ON_CLIENT_GONE](): () => void {
      return () => undefined
    }
    [HEADER_BYTES](): number {
      return size
    }
  }
  Object.setPrototypeOf(LightRequest.prototype, Request.prototype)
  return (url) => new LightRequest(url) as unknown as Request
}
