/**
 * @module
 * Compiles the `{{$context.body.id}}` templates inside a JSON value once, when a workflow is
 * registered, into a `render` that only reads: nothing on the request path parses a template.
 *
 * ```ts
 * const template = compileTemplate({ ok: true, id: '{{$context.body.id}}', q: 'q={{ $context.query.q }}' })
 * if (template.problems.length > 0) throw new Error(template.problems[0]?.message)
 * template.render({ $context: { body: { id: 7 }, query: {} } })
 * // { ok: true, id: 7, q: 'q=' }
 * ```
 */
import { getPath, isForbiddenSegment, parsePath, type PathSegment, PathSyntaxError } from './path.js'
import { compileEnvRead, ENV_ROOT } from './env-template.js'

export const DEFAULT_TEMPLATE_ROOTS: readonly string[] = Object.freeze(['$context', '$jobsMapByNodeKey', '$scopes'])

/** @inline */
export interface CompileTemplateOptions {
  /** The names a template may start with; defaults to `DEFAULT_TEMPLATE_ROOTS`. */
  roots?: readonly string[]
  /** Environment variables `{{$env.NAME}}` may read (the engine's allow-list); none by default. */
  env?: ReadonlySet<string>
}

/**
 * `path` is a JSON Pointer into the compiled value (`''` for the value itself).
 *
 * @inline
 */
export interface TemplateProblem {
  path: string
  message: string
}

/**
 * One value a template reads: `{{$jobsMapByNodeKey.a.b}}` at `/x` has segments `['$jobsMapByNodeKey', 'a', 'b']`.
 *
 * @inline
 */
export interface TemplateRead {
  /** JSON Pointer of the string that holds the template. */
  path: string
  /** The template as written, braces included. */
  template: string
  segments: readonly PathSegment[]
}

/**
 * What templates read from: one entry per root (`{ $context, $jobsMapByNodeKey, $scopes }`).
 *
 * @inline
 */
export type TemplateScope = Readonly<Record<string, unknown>>

/** @inline */
export interface CompiledTemplate {
  /** True when nothing in the value is a template: `render` returns the value itself. */
  readonly isStatic: boolean
  /** Every problem found. Refuse a value with problems: its `render` may throw or return anything. */
  readonly problems: readonly TemplateProblem[]
  /** Every path the templates read (not `$env`), for checks against what will be there. */
  readonly reads: readonly TemplateRead[]
  /** The value with every template rendered from `scope`. */
  render(scope: TemplateScope): unknown
  /**
   * For a string: its literal text and each template's value, in order, unjoined, so a caller
   * can escape each value for where it lands (a URL path). Undefined for any other value.
   */
  readonly renderParts?: (scope: TemplateScope) => TemplatePart[]
}

/**
 * A piece of a rendered string: literal text, or a template's value with the path it read.
 *
 * @example
 * ```ts
 * import { compileTemplate, type TemplatePart } from 'hookflow'
 *
 * const parts: TemplatePart[] = compileTemplate('/orders/{{$context.body.id}}').renderParts?.({ $context: { body: { id: 'a/b' } } }) ?? []
 * const path = parts.map((part) => ('text' in part ? part.text : encodeURIComponent(String(part.value)))).join('')
 * ```
 */
export type TemplatePart = { readonly text: string } | { readonly value: unknown; readonly path: string }

type Render = (scope: TemplateScope) => unknown

/** A string's literal text, or one template in it: its reader and its path (`$context.body.id`). */
type Piece = string | { readonly read: Render; readonly path: string }

// Compiling walks the value recursively; definitions are never this deep, a hostile one may be.
const MAX_DEPTH = 256

interface Walk {
  readonly roots: ReadonlySet<string>
  readonly env: ReadonlySet<string>
  readonly problems: TemplateProblem[]
  readonly reads: TemplateRead[]
  readonly ancestors: Set<object>
}

/**
 * Compiles every template in `value` (strings, array items, object keys and values); never throws.
 *
 * @example
 * ```ts
 * import { compileTemplate } from 'hookflow'
 *
 * const template = compileTemplate({ greeting: 'hello {{$context.body.name}}' })
 * if (template.problems.length === 0) console.log(template.render({ $context: { body: { name: 'Ada' } } })) // { greeting: 'hello Ada' }
 * ```
 */
export function compileTemplate(value: unknown, options: CompileTemplateOptions = {}): CompiledTemplate {
  const roots = new Set(options.roots ?? DEFAULT_TEMPLATE_ROOTS)
  const walk: Walk = { roots, env: options.env ?? new Set(), problems: [], reads: [], ancestors: new Set() }
  const render = compileNode(value, '', walk, 0)
  return {
    isStatic: render === undefined,
    problems: walk.problems,
    reads: walk.reads,
    // A static value renders to itself, not a copy: callers must treat rendered values as read-only.
    render: render ?? ((): unknown => value),
    renderParts: typeof value === 'string' ? partsRender(value, walk) : undefined,
  }
}

// Compiled on first use: few strings are ever rendered in parts.
function partsRender(text: string, walk: Walk): (scope: TemplateScope) => TemplatePart[] {
  let pieces: Piece[] | undefined
  return (scope) => {
    // Problems were reported by the main compile; a string with any renders as its text.
    pieces ??= (text.includes('{{') ? compilePieces(text, '', { ...walk, problems: [] }) : undefined) ?? [text]
    return pieces.map((piece) => (typeof piece === 'string' ? { text: piece } : { value: piece.read(scope), path: piece.path }))
  }
}

/** True if any string or object key inside `value` contains `{{`. */
export function hasTemplate(value: unknown): boolean {
  return containsTemplate(value, new Set())
}

// `seen` stops cycles; a shared subtree that was already walked held no template.
function containsTemplate(value: unknown, seen: Set<object>): boolean {
  if (typeof value === 'string') return value.includes('{{')
  if (!isWalkable(value) || seen.has(value)) return false
  seen.add(value)
  if (Array.isArray(value)) return value.some((item) => containsTemplate(item, seen))
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('{{') || containsTemplate(item, seen)) return true
  }
  return false
}

// `undefined` means static: the subtree renders to itself.
function compileNode(value: unknown, pointer: string, walk: Walk, depth: number): Render | undefined {
  if (typeof value === 'string') return compileString(value, pointer, walk)
  if (!isWalkable(value)) return undefined
  if (walk.ancestors.has(value)) return problem(walk, pointer, 'circular reference')
  if (depth >= MAX_DEPTH) return problem(walk, pointer, `nested deeper than ${MAX_DEPTH} levels`)
  walk.ancestors.add(value)
  const render = Array.isArray(value)
    ? compileArray(value, pointer, walk, depth)
    : compileObject(value as Record<string, unknown>, pointer, walk, depth)
  walk.ancestors.delete(value)
  return render
}

function compileArray(
  items: readonly unknown[],
  pointer: string,
  walk: Walk,
  depth: number,
): Render | undefined {
  const renders = items.map((item, index) => compileNode(item, `${pointer}/${index}`, walk, depth + 1))
  if (renders.every((render) => render === undefined)) return undefined
  return (scope) => {
    const out: unknown[] = new Array(items.length)
    for (let index = 0; index < items.length; index++) {
      const render = renders[index]
      out[index] = render === undefined ? items[index] : render(scope)
    }
    return out
  }
}

interface Entry {
  readonly key: string
  readonly renderKey: Render | undefined
  readonly value: unknown
  readonly renderValue: Render | undefined
}

function compileObject(
  object: Record<string, unknown>,
  pointer: string,
  walk: Walk,
  depth: number,
): Render | undefined {
  const entries: Entry[] = []
  let isStatic = true
  for (const key of Object.keys(object)) {
    const entryPointer = `${pointer}/${escapePointer(key)}`
    const renderKey = compileString(key, entryPointer, walk)
    const renderValue = compileNode(object[key], entryPointer, walk, depth + 1)
    if (renderKey !== undefined || renderValue !== undefined) isStatic = false
    entries.push({ key, renderKey, value: object[key], renderValue })
  }
  if (isStatic) return undefined
  // Assigning `__proto__` on a plain object would replace its prototype: such an entry is
  // dropped, a literal key now and a templated one as it renders.
  const kept = entries.filter((entry) => entry.renderKey !== undefined || !isForbiddenSegment(entry.key))
  return (scope) => {
    const out: Record<string, unknown> = {}
    for (const entry of kept) {
      let key = entry.key
      if (entry.renderKey !== undefined) {
        key = toText(entry.renderKey(scope))
        if (isForbiddenSegment(key)) continue
      }
      out[key] = entry.renderValue === undefined ? entry.value : entry.renderValue(scope)
    }
    return out
  }
}

// A string is a list of literal text and templates; exactly one template keeps the value's type.
function compileString(text: string, pointer: string, walk: Walk): Render | undefined {
  if (!text.includes('{{')) return undefined
  const pieces = compilePieces(text, pointer, walk)
  if (pieces === undefined) return undefined
  const [first] = pieces
  if (pieces.length === 1 && typeof first === 'object') return first.read
  const parts = pieces.map((piece) => (typeof piece === 'string' ? piece : piece.read))
  return (scope) => {
    let out = ''
    for (const part of parts) out += typeof part === 'string' ? part : toText(part(scope))
    return out
  }
}

// `undefined` when a template in `text` has a problem (reported on `walk`).
function compilePieces(text: string, pointer: string, walk: Walk): Piece[] | undefined {
  const pieces: Piece[] = []
  let valid = true
  let cursor = 0
  while (cursor < text.length) {
    const open = text.indexOf('{{', cursor)
    if (open === -1) {
      pieces.push(text.slice(cursor))
      break
    }
    // A stray `}}` before the next `{{` is literal text.
    const close = text.indexOf('}}', open + 2)
    if (close === -1) {
      return problem(walk, pointer, `unclosed '{{' at index ${open} of ${JSON.stringify(text)}`)
    }
    if (open > cursor) pieces.push(text.slice(cursor, open))
    const template = text.slice(open, close + 2)
    const read = compileExpression(template, pointer, walk)
    if (read === undefined) valid = false
    else pieces.push({ read, path: template.slice(2, -2).trim() })
    cursor = close + 2
  }
  return valid ? pieces : undefined
}

function compileExpression(template: string, pointer: string, walk: Walk): Render | undefined {
  const source = template.slice(2, -2).trim()
  if (source === '') return problem(walk, pointer, `empty template ${JSON.stringify(template)}`)
  const rootEnd = source.search(/[.[]/)
  const root = rootEnd === -1 ? source : source.slice(0, rootEnd)
  // A caller that names `$env` as a root of its own reads it from the scope instead.
  if (root === ENV_ROOT && !walk.roots.has(root)) {
    const read = compileEnvRead(source, walk.env)
    return typeof read === 'string' ? problem(walk, pointer, `${read} in ${template}`) : read
  }
  if (!walk.roots.has(root)) {
    const expected = [...walk.roots].join(', ')
    return problem(walk, pointer, `unknown root ${JSON.stringify(root)} in ${template}; expected one of ${expected}`)
  }
  try {
    const segments = parsePath(source)
    walk.reads.push({ path: pointer, template, segments })
    return (scope) => getPath(scope, segments)
  } catch (error) {
    const reason = error instanceof PathSyntaxError ? error.message : String(error)
    return problem(walk, pointer, `invalid path in ${template}: ${reason}`)
  }
}

function problem(walk: Walk, path: string, message: string): undefined {
  walk.problems.push({ path, message })
  return undefined
}

// Mixed strings: null and undefined become '', as in NocoBase.
function toText(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'function') return ''
  if (typeof value === 'string') return value
  if (typeof value !== 'object') return String(value)
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    // Cycles and BigInts cannot be serialised; a render never throws for them.
    return ''
  }
}

// Arrays and plain objects are walked; class instances (Date, Map, ...) are opaque values,
// passed through like numbers.
function isWalkable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return true
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

// RFC 6901: `~` and `/` inside a key.
function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}
