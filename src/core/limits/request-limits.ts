/**
 * @module
 * Limits on the request line and headers, checked first, before routing (as a server checks
 * them before any handler runs): a query string longer than `queryLimit` bytes answers 414, and
 * headers longer than `headerLimit` bytes together (each counted as `name: value` plus CRLF)
 * answer 431. Header and URL text is ASCII / Latin-1 in a `Request`, so characters are bytes.
 */
import { HookflowError } from '../../errors/hookflow-error.js'
import { type FastRequest, HEADER_BYTES } from '../../http/fast-request.js'

/**
 * As Node's own default `maxHeaderSize` (16 KiB).
 *
 * @example
 * ```ts
 * import { createEngine, DEFAULT_HEADER_LIMIT, WebhookTrigger } from 'hookflow'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine(), headerLimit: 2 * DEFAULT_HEADER_LIMIT })
 * ```
 */
export const DEFAULT_HEADER_LIMIT = 16_384
/**
 * The longest query string a trigger accepts unless `queryLimit` says otherwise: 8 KiB (then 414).
 *
 * @example
 * ```ts
 * import { createEngine, DEFAULT_QUERY_LIMIT, WebhookTrigger } from 'hookflow'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine(), queryLimit: DEFAULT_QUERY_LIMIT / 2 })
 * ```
 */
export const DEFAULT_QUERY_LIMIT = 8_192

export interface RequestLimits {
  readonly headerLimit: number
  readonly queryLimit: number
}

export const uriTooLong = (limit: number): HookflowError =>
  new HookflowError('query_too_long', `The query string is longer than ${limit} bytes`, { status: 414 })

export const headersTooLarge = (limit: number): HookflowError =>
  new HookflowError('headers_too_large', `The request headers are larger than ${limit} bytes`, { status: 431 })

/** `search` is the URL's query with its `?`; throws 414 or 431. */
export function checkRequestLimits(request: Request, search: string, limits: RequestLimits): void {
  // The `?` is not part of the query.
  if (search.length - 1 > limits.queryLimit) throw uriTooLong(limits.queryLimit)
  if (headerBytes(request) > limits.headerLimit) throw headersTooLarge(limits.headerLimit)
}

function headerBytes(request: Request): number {
  const fast = (request as FastRequest)[HEADER_BYTES]
  if (fast) return fast.call(request)
  let size = 0
  request.headers.forEach((value, name) => {
    size += name.length + value.length + 4
  })
  return size
}

/** Throws a TypeError naming the option unless `value` is a non-negative integer. */
export function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`)
  return value
}
