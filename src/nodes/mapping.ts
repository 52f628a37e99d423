/**
 * @module
 * The `json-query` node's mapping language, compiled once into a function. Paths go through
 * the engine's safe path code: own properties only, never `__proto__`, which is refused as
 * an output key too (`constructor` and `prototype` are keys like any other).
 *
 * ```ts
 * compileMapping({ id: 'order.id', skus: { from: 'order.items', each: 'sku' } })(body)
 * ```
 */
import { getPath, isForbiddenSegment, parsePath, type PathSegment } from '../engine/templates/path.js'
import type { ConfigProblem } from '../engine/node-type.js'

export type Mapper = (item: unknown) => unknown

const MAX_DEPTH = 64

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function keysAre(value: Record<string, unknown>, allowed: readonly string[], required: string): boolean {
  const keys = Object.keys(value)
  return keys.includes(required) && keys.every((key) => allowed.includes(key))
}

type Directive = 'path' | 'value' | 'from' | 'shape'

// `{ path }` needs a string path, `{ from, each }` both keys; anything else is a shape.
function directiveOf(spec: Record<string, unknown>): Directive {
  if (keysAre(spec, ['path', 'default'], 'path') && typeof spec.path === 'string') return 'path'
  if (keysAre(spec, ['value'], 'value')) return 'value'
  if (keysAre(spec, ['from', 'each'], 'from') && typeof spec.from === 'string' && 'each' in spec) return 'from'
  return 'shape'
}

function segmentsOf(path: string): PathSegment[] {
  return path === '.' ? [] : parsePath(path)
}

function read(item: unknown, segments: readonly PathSegment[], fallback: unknown): unknown {
  const value = segments.length === 0 ? item : getPath(item, segments)
  return value === undefined || value === null ? fallback : value
}

/** Compiles `spec`; throws on a spec that `mappingProblems` would report. */
export function compileMapping(spec: unknown, depth = 0): Mapper {
  if (depth > MAX_DEPTH) throw new RangeError(`mapping nested deeper than ${MAX_DEPTH}`)
  if (typeof spec === 'string') {
    const segments = segmentsOf(spec)
    return (item) => read(item, segments, null)
  }
  if (Array.isArray(spec)) {
    const mappers = spec.map((entry) => compileMapping(entry, depth + 1))
    return (item) => mappers.map((mapper) => mapper(item))
  }
  if (!isObject(spec)) throw new TypeError('a mapping is a path, an object or an array')
  switch (directiveOf(spec)) {
    case 'path': {
      const segments = segmentsOf(spec.path as string)
      const fallback = spec.default === undefined ? null : spec.default
      return (item) => read(item, segments, fallback)
    }
    case 'value':
      return () => spec.value
    case 'from': {
      const segments = segmentsOf(spec.from as string)
      const each = compileMapping(spec.each, depth + 1)
      return (item) => {
        const list = read(item, segments, null)
        return Array.isArray(list) ? list.map(each) : []
      }
    }
    default: {
      const entries = Object.entries(spec).map(([key, entry]): [string, Mapper] => {
        if (isForbiddenSegment(key)) throw new TypeError(`"${key}" cannot be an output key`)
        return [key, compileMapping(entry, depth + 1)]
      })
      return (item) => {
        const out: Record<string, unknown> = {}
        for (const [key, mapper] of entries) out[key] = mapper(item)
        return out
      }
    }
  }
}

/** Every problem in `spec`, with JSON Pointers under `pointer`; `[]` for a good one. */
export function mappingProblems(spec: unknown, pointer: string, depth = 0): ConfigProblem[] {
  if (spec === undefined && depth === 0) return []
  if (depth > MAX_DEPTH) return [{ path: pointer, message: `mapping nested deeper than ${MAX_DEPTH}` }]
  if (typeof spec === 'string') return pathProblems(spec, pointer)
  if (Array.isArray(spec)) return spec.flatMap((entry, i) => mappingProblems(entry, `${pointer}/${i}`, depth + 1))
  if (!isObject(spec)) return [{ path: pointer, message: 'a mapping is a path, an object or an array' }]
  switch (directiveOf(spec)) {
    case 'path':
      return pathProblems(spec.path as string, `${pointer}/path`)
    case 'value':
      return []
    case 'from':
      return [...pathProblems(spec.from as string, `${pointer}/from`), ...mappingProblems(spec.each, `${pointer}/each`, depth + 1)]
    default:
      return Object.entries(spec).flatMap(([key, entry]) => {
        const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
        if (isForbiddenSegment(key)) return [{ path: at, message: `"${key}" cannot be an output key` }]
        return mappingProblems(entry, at, depth + 1)
      })
  }
}

function pathProblems(path: string, pointer: string): ConfigProblem[] {
  if (path.includes('{{')) return [{ path: pointer, message: 'a mapping path is a path, not a template' }]
  try {
    segmentsOf(path)
    return []
  } catch (error) {
    return [{ path: pointer, message: (error as Error).message }]
  }
}
