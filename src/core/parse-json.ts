/**
 * @module
 * JSON bodies, parsed safely: valid UTF-8 only, nesting no deeper than the limit (checked on
 * the text before parsing), and, as Fastify's secure-json-parse decides, no `__proto__` key
 * and no `constructor` key whose value holds a `prototype` key anywhere, since later merges
 * of such objects are how prototype pollution happens. Any other `constructor` or `prototype`
 * key is data: `{"constructor":"Red Bull"}` is a body like any other.
 */
import { badRequest } from './http-errors.js'

export const DEFAULT_JSON_DEPTH = 64

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Nesting needs an opening bracket per level: with few of them in the text, no scan is needed. */
function fewBrackets(text: string, maxDepth: number): boolean {
  let count = 0
  for (let i = text.indexOf('{'); i !== -1 && count <= maxDepth; i = text.indexOf('{', i + 1)) count++
  for (let i = text.indexOf('['); i !== -1 && count <= maxDepth; i = text.indexOf('[', i + 1)) count++
  return count <= maxDepth
}

function depthExceeds(text: string, maxDepth: number): boolean {
  if (fewBrackets(text, maxDepth)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** `"__proto__"`, or `"constructor.prototype"` for a constructor object holding `prototype`. */
function findForbiddenKey(value: unknown): string | undefined {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const current = stack.pop()
    if (!isObject(current)) continue
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item)
      continue
    }
    for (const key of Object.keys(current)) {
      const child = current[key]
      if (key === '__proto__') return key
      if (key === 'constructor' && isObject(child) && Object.hasOwn(child, 'prototype')) return 'constructor.prototype'
      stack.push(child)
    }
  }
  return undefined
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch {
    throw badRequest('invalid_encoding', 'Request body is not valid UTF-8')
  }
}

/** True for a text of whitespace only: an empty body, `{}`. */
export function isBlank(text: string): boolean {
  return text.trim() === ''
}

/** Parses JSON text; an empty body is `{}`. Throws a 400 HookflowError on anything unsafe. */
export function parseJson(text: string, maxDepth = DEFAULT_JSON_DEPTH): unknown {
  if (isBlank(text)) return {}
  if (depthExceeds(text, maxDepth)) {
    throw badRequest('json_too_deep', `JSON nesting is deeper than ${maxDepth}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw badRequest('invalid_json', `Malformed JSON: ${(error as Error).message}`)
  }
  // Only look deeper when the text could hold such a key (an escape can spell one too): a
  // refused `constructor` always holds a `prototype`.
  if (text.includes('__proto__') || text.includes('prototype') || text.includes('\\u')) {
    const key = findForbiddenKey(value)
    if (key === '__proto__') throw badRequest('forbidden_json_key', 'JSON key "__proto__" is not allowed')
    if (key !== undefined) throw badRequest('forbidden_json_key', 'JSON key "constructor" holding a "prototype" key is not allowed')
  }
  return value
}
