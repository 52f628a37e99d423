/**
 * @module
 * `a[b]=1&list[]=x` text, as query strings and form bodies carry it, parsed by qs with the
 * same explicit limits for both: at most 100 parameters, arrays of at most 20 items, nesting
 * 5 deep. Past a limit the request is refused (400), never silently cut. A key with a
 * `__proto__` segment, or a `constructor` segment followed by `prototype`
 * (`constructor[prototype][x]`), is refused too, as JSON bodies refuse theirs; any other
 * `constructor`, `prototype` or `toString` key is data.
 */
import qs from 'qs'
import { badRequest } from './http-errors.js'
import type { HookflowError } from '../errors/hookflow-error.js'

export const URL_ENCODED_LIMITS = { parameters: 100, arrayItems: 20, depth: 5 } as const

const FORM_OPTIONS: qs.IParseOptions = {
  depth: URL_ENCODED_LIMITS.depth,
  arrayLimit: URL_ENCODED_LIMITS.arrayItems,
  parameterLimit: URL_ENCODED_LIMITS.parameters,
  throwOnLimitExceeded: true,
  // Names such as `constructor` and `toString` are kept as own properties (qs would drop
  // them); `__proto__` is never assigned by qs, and refused below.
  allowPrototypes: true,
}
const QUERY_OPTIONS: qs.IParseOptions = { ...FORM_OPTIONS, ignoreQueryPrefix: true }

// `__proto__` as the leading name or a bracket segment (`__proto__[x]`, `a[__proto__]`), and
// `constructor` followed by a `prototype` segment (`constructor[prototype]`, `a[constructor][prototype]`).
const FORBIDDEN_PROTO = /(?:^|\[)__proto__(?:\]|\[|$)/
const FORBIDDEN_CONSTRUCTOR = /(?:^|\[)constructor\]?\[prototype(?:\]|\[|$)/

/** `source` names what is parsed in error codes and messages: `query` or `form`. */
export function parseUrlEncoded(text: string, source: 'query' | 'form'): Record<string, unknown> {
  const simple = parseSimple(source === 'query' && text.startsWith('?') ? text.slice(1) : text)
  if (simple !== undefined) return simple
  let parsed: Record<string, unknown>
  try {
    parsed = qs.parse(text, source === 'query' ? QUERY_OPTIONS : FORM_OPTIONS) as Record<string, unknown>
  } catch (error) {
    throw limitError(error, source)
  }
  // qs drops such keys silently; refusing says what happened. Most texts cannot hold one.
  if (text.includes('proto') || text.includes('%')) {
    const key = forbiddenKey(source === 'query' && text.startsWith('?') ? text.slice(1) : text)
    if (key !== undefined) throw badRequest(`forbidden_${source}_key`, `${label(source)} key "${key}" is not allowed`)
  }
  return parsed
}

// Plain names and values that need no decoding: what qs would give, without its cost (about 2 µs).
// Read by character code from a table (bit 1: name, bit 2: value), not with two regexes per pair.
const NAME = 1
const VALUE = 2
const PLAIN = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') PLAIN[c.charCodeAt(0)] = NAME | VALUE
for (const c of '.~') PLAIN[c.charCodeAt(0)] = VALUE
const AMPERSAND = 38
const EQUALS = 61
const { hasOwnProperty } = Object.prototype

/**
 * `a=1&b=x` with distinct plain names (`[A-Za-z0-9_-]+`, not `__proto__`) and plain values
 * (`[A-Za-z0-9_.~-]*`), within the parameter limit: the object qs would build (none is a
 * forbidden key). Anything else (brackets, escapes, `+`, repeated or empty names, a name
 * without `=`) is undefined, for qs to parse.
 */
function parseSimple(text: string): Record<string, unknown> | undefined {
  const parsed: Record<string, unknown> = {}
  let count = 0
  for (let start = 0; start <= text.length; ) {
    if (++count > URL_ENCODED_LIMITS.parameters) return undefined
    let at = start
    while (at < text.length && (PLAIN[text.charCodeAt(at)]! & NAME) !== 0) at++
    if (at === start || text.charCodeAt(at) !== EQUALS) return undefined
    const name = text.slice(start, at)
    const valueStart = ++at
    while (at < text.length && (PLAIN[text.charCodeAt(at)]! & VALUE) !== 0) at++
    if (at < text.length && text.charCodeAt(at) !== AMPERSAND) return undefined
    // Repeated names become arrays and `__proto__` is refused: qs and the check below decide.
    if (name === '__proto__' || hasOwnProperty.call(parsed, name)) return undefined
    parsed[name] = text.slice(valueStart, at)
    start = at + 1
  }
  return parsed
}

/** What makes a bracketed key (`a[__proto__]`, `constructor[prototype]`) forbidden, if anything. */
export function forbiddenKeyIn(key: string): string | undefined {
  if (FORBIDDEN_PROTO.test(key)) return '__proto__'
  if (FORBIDDEN_CONSTRUCTOR.test(key)) return 'constructor[prototype]'
  return undefined
}

function forbiddenKey(text: string): string | undefined {
  for (const part of text.split('&', URL_ENCODED_LIMITS.parameters + 1)) {
    const equals = part.indexOf('=')
    const key = decode(equals < 0 ? part : part.slice(0, equals))
    const forbidden = forbiddenKeyIn(key)
    if (forbidden !== undefined) return forbidden
  }
  return undefined
}

function decode(text: string): string {
  const spaced = text.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

function label(source: 'query' | 'form'): string {
  return source === 'query' ? 'Query' : 'Form'
}

function limitError(error: unknown, source: 'query' | 'form'): HookflowError {
  const message = error instanceof Error ? error.message : ''
  const { parameters, arrayItems } = URL_ENCODED_LIMITS
  if (/parameter/i.test(message)) {
    return badRequest(`too_many_${source}_parameters`, `${label(source)} has more than ${parameters} parameters`)
  }
  if (/array/i.test(message)) {
    return badRequest(`${source}_array_too_long`, `${label(source)} has an array of more than ${arrayItems} items`)
  }
  return badRequest(`invalid_${source}`, `${label(source)} could not be parsed`)
}
