/**
 * @module
 * Turns a rendered `request` node config into what `fetch` takes: an absolute http(s) URL
 * with the query parameters added, checked headers, and a body encoded for `contentType`.
 */
import { HookflowError } from '../../errors/hookflow-error.js'

export type NameValueList = Array<{ name: string; value?: unknown }> | Record<string, unknown>

export const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain'] as const
export type ContentType = (typeof CONTENT_TYPES)[number]

export interface OutgoingRequest {
  url: URL
  method: string
  headers: Headers
  body: string | undefined
}

export function invalid(message: string): HookflowError {
  return new HookflowError('request_invalid', message)
}

/** `[{ name, value }]` or `{ name: value }` as pairs; missing values are left out, arrays repeat. */
export function pairsOf(list: NameValueList | undefined): Array<[string, string]> {
  const entries: Array<[string, unknown]> = Array.isArray(list)
    ? list.map((entry) => [entry.name, entry.value])
    : Object.entries(list ?? {})
  const pairs: Array<[string, string]> = []
  for (const [name, value] of entries) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue
      pairs.push([name, typeof item === 'object' ? JSON.stringify(item) : String(item)])
    }
  }
  return pairs
}

function urlOf(text: string, params: NameValueList | undefined): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid('url is not an absolute URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`url must be http or https, not ${url.protocol}`)
  if (url.username || url.password) throw invalid('url must not hold credentials; send an authorization header')
  for (const [name, value] of pairsOf(params)) url.searchParams.append(name, value)
  return url
}

function bodyOf(data: unknown, contentType: ContentType): string | undefined {
  if (data === undefined) return undefined
  if (contentType === 'application/json') return JSON.stringify(data)
  if (contentType === 'text/plain') return typeof data === 'string' ? data : JSON.stringify(data)
  if (typeof data === 'string') return data
  if (typeof data !== 'object' || data === null) throw invalid('a form body (data) must be an object or a list of { name, value }')
  return new URLSearchParams(pairsOf(data as NameValueList)).toString()
}

export interface BuildOptions {
  method: string
  url: string
  headers?: NameValueList
  params?: NameValueList
  contentType: ContentType
  data?: unknown
}

export function buildRequest(options: BuildOptions): OutgoingRequest {
  const method = options.method.toUpperCase()
  const url = urlOf(options.url, options.params)
  const headers = new Headers()
  for (const [name, value] of pairsOf(options.headers)) {
    try {
      headers.append(name, value)
    } catch {
      // The value may be a secret: name the header, never echo it.
      throw invalid(`header "${name.slice(0, 64)}" has an invalid name or value`)
    }
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(options.data, options.contentType)
  if (body !== undefined) headers.set('content-type', options.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : options.contentType)
  return { url, method, headers, body }
}
