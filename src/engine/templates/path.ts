/**
 * @module
 * Paths into JSON values (`a.b[0].c`, `headers.x-request-id`, `a["x.y"].z`): one grammar shared
 * by templates and sample inference, a reader that only sees own properties, and the formatter
 * that turns segments back into text.
 *
 * ```ts
 * const segments = parsePath('items[0].sku')    // ['items', 0, 'sku']
 * getPath({ items: [{ sku: 'x' }] }, segments)  // 'x'
 * formatPath(['a', 'x.y', 0])                   // 'a["x.y"][0]'
 * ```
 */

/** @inline */
export type PathSegment = string | number

/** Thrown by `parsePath`; the message names the problem, the index and the path. */
export class PathSyntaxError extends SyntaxError {
  readonly path: string
  readonly index: number

  constructor(problem: string, path: string, index: number) {
    super(`${problem} at index ${index} of path ${JSON.stringify(path)}`)
    this.name = 'PathSyntaxError'
    this.path = path
    this.index = index
  }
}

// Reading or writing `__proto__` can reach a prototype, so no path may name it. `constructor`
// and `prototype` are data like any other key (a body may sell Red Bull): reads see own
// properties only, so `{}` has no `constructor`, and writing either key on a plain object
// only adds an own property.
const forbiddenSegments: ReadonlySet<string> = new Set(['__proto__'])

/** True for `__proto__`, which no path may name. */
export function isForbiddenSegment(segment: PathSegment): boolean {
  return typeof segment === 'string' && forbiddenSegments.has(segment)
}

// Header names (`x-request-id`) and digits are bare segments too, so the class is "anything but
// the delimiters", not an identifier.
const bareChar = /[^.[\]{}\s]/
const bareKey = /^[A-Za-z0-9_$-]+$/

/**
 * Splits `a.b[0]["x.y"]` into `['a', 'b', 0, 'x.y']`; throws `PathSyntaxError`.
 *
 * @example
 * ```ts
 * import { parsePath } from 'hookflow'
 *
 * parsePath('items[0]["x.y"].id') // ['items', 0, 'x.y', 'id']
 * ```
 */
export function parsePath(path: string): PathSegment[] {
  if (path === '') throw new PathSyntaxError('empty path', path, 0)
  const segments: PathSegment[] = []
  let index = path[0] === '[' ? readBracket(path, 0, segments) : readBare(path, 0, segments)
  while (index < path.length) {
    const char = path[index]
    if (char === '.') index = readBare(path, index + 1, segments)
    else if (char === '[') index = readBracket(path, index, segments)
    else if (char === ']') throw new PathSyntaxError("unbalanced ']'", path, index)
    else throw new PathSyntaxError(`unexpected ${JSON.stringify(char)}`, path, index)
  }
  return segments
}

function readBare(path: string, start: number, segments: PathSegment[]): number {
  let end = start
  while (end < path.length && bareChar.test(path[end] as string)) end++
  if (end === start) {
    const char = path[start]
    if (char === undefined || char === '.') throw new PathSyntaxError('empty segment', path, start)
    if (char === ']') throw new PathSyntaxError("unbalanced ']'", path, start)
    if (char === '[') throw new PathSyntaxError("expected a key after '.'", path, start)
    throw new PathSyntaxError(`unexpected ${JSON.stringify(char)}`, path, start)
  }
  pushKey(path.slice(start, end), path, start, segments)
  return end
}

function readBracket(path: string, start: number, segments: PathSegment[]): number {
  const first = path[start + 1]
  let end: number
  if (first === '"') {
    end = closingQuote(path, start + 2)
    if (end === -1) throw new PathSyntaxError('unclosed string', path, start + 1)
    let key: unknown
    try {
      key = JSON.parse(path.slice(start + 1, end + 1))
    } catch {
      throw new PathSyntaxError('invalid JSON string', path, start + 1)
    }
    pushKey(key as string, path, start, segments)
    end += 1
  } else if (isDigit(first)) {
    end = start + 1
    while (isDigit(path[end])) end++
    const index = Number(path.slice(start + 1, end))
    if (!Number.isSafeInteger(index)) throw new PathSyntaxError('index too large', path, start + 1)
    segments.push(index)
  } else if (first === undefined) {
    throw new PathSyntaxError("unclosed '['", path, start)
  } else {
    throw new PathSyntaxError(`expected digits or a "double-quoted" key after '['`, path, start + 1)
  }
  if (path[end] !== ']') {
    throw new PathSyntaxError(end >= path.length ? "unclosed '['" : "expected ']'", path, end)
  }
  return end + 1
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9'
}

// Index of the `"` that ends a JSON string whose content starts at `from`, or -1.
function closingQuote(path: string, from: number): number {
  for (let index = from; index < path.length; index++) {
    const char = path[index]
    if (char === '\\') index++
    else if (char === '"') return index
  }
  return -1
}

function pushKey(key: string, path: string, start: number, segments: PathSegment[]): void {
  if (forbiddenSegments.has(key)) {
    throw new PathSyntaxError(`${JSON.stringify(key)} is not allowed (it reaches a prototype)`, path, start)
  }
  segments.push(key)
}

/**
 * Reads `segments` from `value` through own properties only (`constructor` of `{}` is
 * `undefined`); `undefined` for anything missing, any non-object along the way and
 * `__proto__`. Never throws.
 *
 * @example
 * ```ts
 * import { getPath, parsePath } from 'hookflow'
 *
 * getPath({ items: [{ id: 7 }] }, parsePath('items[0].id')) // 7
 * ```
 */
export function getPath(value: unknown, segments: readonly PathSegment[]): unknown {
  let current = value
  // Values that did not come from JSON can have throwing getters or proxy traps.
  try {
    for (const segment of segments) {
      if (current === null || typeof current !== 'object') return undefined
      let key: string
      if (typeof segment === 'number') key = String(segment)
      else if (typeof segment === 'string' && !forbiddenSegments.has(segment)) key = segment
      else return undefined
      if (!Object.hasOwn(current, key)) return undefined
      current = (current as Record<string, unknown>)[key]
    }
  } catch {
    return undefined
  }
  return current
}

/**
 * The text `parsePath` reads back as `segments`: numbers as `[N]`, simple keys bare and joined
 * by `.`, any other key as `["json-escaped"]`. `[]` formats as `''`, which parsePath refuses.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = ''
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Number.isSafeInteger(segment) || segment < 0) {
        throw new RangeError(`formatPath: ${segment} is not an array index`)
      }
      text += `[${segment}]`
    } else if (bareKey.test(segment)) {
      text += text === '' ? segment : `.${segment}`
    } else {
      text += `[${JSON.stringify(segment)}]`
    }
  }
  return text
}
