/**
 * @module
 * A request's headers read straight from Node's `req.headers`, behind the `Headers` API, so
 * the core's `headers.get()` costs a property lookup instead of building a `Headers` from
 * every header line. Read-only, like the headers of any `Request`.
 */
import type { IncomingHttpHeaders } from 'node:http'

function join(name: string, value: string | string[]): string {
  return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value
}

class NodeHeaders {
  readonly #raw: IncomingHttpHeaders

  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw
  }

  get(name: string): string | null {
    const key = name.toLowerCase()
    const value = this.#raw[key]
    return value === undefined || key.startsWith(':') ? null : join(key, value)
  }
  has(name: string): boolean {
    return this.get(name) !== null
  }
  getSetCookie(): string[] {
    const value = this.#raw['set-cookie']
    return value === undefined ? [] : [value].flat()
  }
  *entries(): HeadersIterator<[string, string]> {
    const names = Object.keys(this.#raw).filter((name) => !name.startsWith(':')).sort()
    for (const name of names) {
      const value = this.#raw[name]
      if (value !== undefined) yield [name, join(name, value)]
    }
  }
  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name
  }
  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value
  }
  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries()
  }
  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this as unknown as Headers)
  }
  append(): never {
    throw new TypeError('Headers of a request are immutable')
  }
  set(): never {
    throw new TypeError('Headers of a request are immutable')
  }
  delete(): never {
    throw new TypeError('Headers of a request are immutable')
  }
}

// `instanceof Headers` holds; every member above shadows the native one.
Object.setPrototypeOf(NodeHeaders.prototype, Headers.prototype)

export function nodeHeaders(raw: IncomingHttpHeaders): Headers {
  return new NodeHeaders(raw) as unknown as Headers
}
