/**
 * @module
 * Turns a rendered `request` node config into what a transport sends: an absolute http(s) URL
 * with the query parameters added, checked headers, and the body. A string `data` is sent as
 * it is, as `contentType` (default `text/plain`); other data is JSON (default
 * `application/json`), or a form for `application/x-www-form-urlencoded`.
 */
import { HookflowError } from '../../errors/hookflow-error.js'

/** @inline */
export type NameValueList = Array<{ name: string; value?: unknown }> | Record<string, unknown>

/** A media type as a header carries it: `type/subtype`, maybe parameters, no CR or LF. */
export const MEDIA_TYPE_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \\t]*(?:;[^\\r\\n]*)?$"

const FORM = 'application/x-www-form-urlencoded'

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

function essenceOf(contentType: string): string {
  const semicolon = contentType.indexOf(';')
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
}

interface Body {
  text: string
  contentType: string
}

function bodyOf(data: unknown, given: string | undefined): Body | undefined {
  if (data === undefined) return undefined
  const contentType = given ?? (typeof data === 'string' ? 'text/plain' : 'application/json')
  const essence = essenceOf(contentType)
  // The string is sent as UTF-8: a text type that names no charset says so.
  const header = essence.startsWith('text/') && !/;\s*charset=/i.test(contentType) ? `${essence}; charset=utf-8` : contentType
  if (typeof data === 'string') return { text: data, contentType: header }
  if (essence === FORM) {
    if (typeof data !== 'object' || data === null) throw invalid('a form body (data) must be an object, a list of { name, value } or a string')
    return { text: new URLSearchParams(pairsOf(data as NameValueList)).toString(), contentType: header }
  }
  let text: string | undefined
  try {
    text = JSON.stringify(data)
  } catch {
    throw invalid('data cannot be sent as JSON')
  }
  return { text: text ?? 'null', contentType: header }
}

export interface BuildOptions {
  method: string
  url: string
  headers?: NameValueList
  params?: NameValueList
  /** Default `text/plain` for a string `data`, else `application/json`. */
  contentType?: string
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
  if (body !== undefined) {
    try {
      headers.set('content-type', body.contentType)
    } catch {
      throw invalid('contentType is not a valid header value')
    }
  }
  return { url, method, headers, body: body?.text }
}
