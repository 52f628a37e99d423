/**
 * @module
 * The variable paths a sample request offers, as NocoBase's webhook trigger editor lists them:
 * every path to every value, parents before children, in document order.
 *
 * ```ts
 * inferBodyPaths({ a: 1, b: { c: 2 } })   // ['a', 'b', 'b.c']
 * inferBodyPaths('{"items":[{"sku":"x"}]}') // ['items', 'items[0]', 'items[0].sku']
 * inferQueryPaths('http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query[0][a]=1')
 * // ['query', 'query[0]', 'query[0].a']
 * ```
 */
import qs from 'qs'
import { formatPath, isForbiddenSegment } from '../engine/templates/path.js'
import type { PathSegment } from '../engine/templates/path.js'

// A sample is pasted by a person into an editor; these bounds keep a hostile or accidental
// giant from freezing it. Deeper values and paths past the cap are left out, not refused.
const MAX_DEPTH = 64
const MAX_PATHS = 10_000

// The same safe limits the trigger parses real query strings with.
// `constructor` and `toString` are names like any other (qs never assigns `__proto__`).
const queryOptions = { depth: 5, arrayLimit: 20, parameterLimit: 1000, allowPrototypes: true }

/**
 * Every path in a parsed JSON sample, or in JSON text when given a string (a `TypeError` if it
 * is not valid JSON). `__proto__` keys are skipped with their subtrees (`constructor` and
 * `prototype` are data); a sample that is not an object or array gives `[]`. Object keys come
 * in JavaScript's own order, so integer-like keys (`"1"`) come first.
 *
 * @example
 * ```ts
 * import { inferBodyPaths } from 'hookflow'
 *
 * inferBodyPaths('{"order":{"id":1,"items":[{"sku":"a"}]}}') // ['order', 'order.id', 'order.items', 'order.items[0]', 'order.items[0].sku']
 * ```
 */
export function inferBodyPaths(sample: unknown): string[] {
  const value = typeof sample === 'string' ? parseJson(sample) : sample
  const paths: string[] = []
  collect(value, [], paths)
  return paths
}

/**
 * Every path in the query of an absolute URL, a path with a query, or a query string with or
 * without its `?`; the fragment is ignored and a URL without a query gives `[]`.
 *
 * @example
 * ```ts
 * import { inferQueryPaths } from 'hookflow'
 *
 * inferQueryPaths('https://example.com/hook?event=paid&filter[status]=open') // ['event', 'filter', 'filter.status']
 * ```
 */
export function inferQueryPaths(input: string): string[] {
  const query = queryOf(input)
  if (query === '') return []
  return inferBodyPaths(qs.parse(query, queryOptions))
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new TypeError(`inferBodyPaths: the sample string is not valid JSON (${reason})`, { cause: error })
  }
}

function collect(value: unknown, prefix: PathSegment[], paths: string[]): void {
  if (value === null || typeof value !== 'object' || prefix.length >= MAX_DEPTH) return
  if (Array.isArray(value)) {
    // Counted, not listed: a huge array is not copied just to stop at the cap.
    for (let index = 0; index < value.length && paths.length < MAX_PATHS; index++) {
      visit(value, index, prefix, paths)
    }
    return
  }
  for (const key of Object.keys(value)) {
    if (paths.length >= MAX_PATHS) return
    visit(value, key, prefix, paths)
  }
}

function visit(parent: object, key: PathSegment, prefix: PathSegment[], paths: string[]): void {
  // Holes in sparse arrays have no value to point at.
  if (isForbiddenSegment(key) || !Object.hasOwn(parent, key)) return
  prefix.push(key)
  paths.push(formatPath(prefix))
  collect((parent as Record<PathSegment, unknown>)[key], prefix, paths)
  prefix.pop()
}

// A string that starts like a URL or a path has a query only after its `?`; anything else is a
// bare query string.
function queryOf(input: string): string {
  const hash = input.indexOf('#')
  const text = hash === -1 ? input : input.slice(0, hash)
  const mark = text.indexOf('?')
  if (mark !== -1) return text.slice(mark + 1)
  return /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|\/)/.test(text) ? '' : text
}
