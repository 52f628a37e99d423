/**
 * @module
 * The `request` node's URL text, put together from its template's parts: literal text as
 * written, and each templated value percent-encoded (`encodeURIComponent`) once it lands past
 * the host, in the path, the query or the fragment. So an id holding `../../admin?x=1` stays
 * one path segment (`..%2F..%2Fadmin%3Fx%3D1`) and cannot reach another path or add a query.
 * Values before the path (a whole URL, a base URL, a host) go in as they are; `rawUrlValues`
 * keeps every value raw (`true`) or the ones whose template reads one of the listed paths.
 * A value that would still make a `.` or `..` path segment, which URL parsing removes with the
 * segment before it, is refused.
 *
 * ```ts
 * urlText([{ text: 'https://api.example.com/orders/' }, { value: '7/../../admin', path: '$context.body.id' }], false)
 * // 'https://api.example.com/orders/7%2F..%2F..%2Fadmin'
 * ```
 */
import type { TemplatePart } from '../../engine/node-type.js'
import { invalid } from './build-request.js'

/**
 * `true`: every templated value goes in as it is; a list: the values of these template paths do.
 *
 * @inline
 */
export type RawUrlValues = boolean | readonly string[]

// Mixed-string rendering, as templates do it: null and undefined are '', objects their JSON.
function toText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value) ?? ''
  return String(value)
}

function keepsRaw(raw: RawUrlValues, path: string): boolean {
  return raw === true || (Array.isArray(raw) && raw.includes(path))
}

/** Where the path starts in `text` (its first `/`, `?` or `#` after `scheme://host`), or -1. */
function pathStart(text: string): number {
  const scheme = text.indexOf('://')
  if (scheme === -1) return -1
  const match = /[/?#]/.exec(text.slice(scheme + 3))
  return match ? scheme + 3 + match.index : -1
}

function encode(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    // A lone surrogate has no UTF-8 form.
    throw invalid('a templated value in url is not valid text')
  }
}

const DOT_SEGMENTS = new Set(['.', '..', '%2e', '.%2e', '%2e.', '%2e%2e'])

// `[start, end)` ranges of `text` that came from encoded values.
function checkDotSegments(text: string, encoded: ReadonlyArray<readonly [number, number]>): void {
  const start = pathStart(text)
  if (start === -1 || encoded.length === 0) return
  const end = text.slice(start).search(/[?#]/)
  const path = text.slice(start, end === -1 ? text.length : start + end)
  let from = start
  for (const segment of path.split('/')) {
    const to = from + segment.length
    if (DOT_SEGMENTS.has(segment.toLowerCase()) && encoded.some(([a, b]) => a < to && b > from)) {
      throw invalid(`a templated value in url makes "${segment}" a path segment, which would change the path`)
    }
    from = to + 1
  }
}

/** The URL text of `parts`; throws `request_invalid` for a value that would change the path. */
export function urlText(parts: readonly TemplatePart[], raw: RawUrlValues): string {
  let text = ''
  const encoded: Array<[number, number]> = []
  for (const part of parts) {
    if ('text' in part) {
      text += part.text
      continue
    }
    const value = toText(part.value)
    if (keepsRaw(raw, part.path) || pathStart(text) === -1) {
      text += value
      continue
    }
    const start = text.length
    text += encode(value)
    encoded.push([start, text.length])
  }
  checkDotSegments(text, encoded)
  return text
}
