/**
 * @module
 * Whether a templated config must be validated again once rendered. It need not when no
 * template sits where the node type's schema looks at its value: a Response node's `body`, a
 * condition's `operands` (the schema counts them, it does not read them). Rendering and
 * checking a config cost about 0.3 µs and 600 bytes per node run; such configs are spared.
 *
 * A template renders to any value (or `undefined`) in its own place and changes nothing else,
 * so only the schemas on the way to that place matter: each must be one whose verdict does not
 * depend on what lies below it (`type`, `properties`, `items`, `required`, counts of items),
 * and the schema of the place itself must be free (`{}`). `oneOf`, `anyOf` and `allOf` are
 * followed into every branch, and a `$ref` to an `$id` within the schema (or to `#`) into that
 * part. Anything the check cannot read for sure (`enum`, `const`, `not`, `patternProperties`,
 * another `$ref`...) counts as reached.
 *
 * ```ts
 * templatesReachSchema({ type: 'object', properties: { statusCode: { type: 'integer' } } }, { body: '{{$context.body}}' })
 * // false
 * ```
 */
import { hasTemplate } from './templates/compile-template.js'

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples'])
/** Keywords whose verdict on a value does not depend on what lies inside it. */
const SHAPE = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'oneOf', 'anyOf', 'allOf', '$ref'])

type Step = string | number

export function templatesReachSchema(schema: unknown, config: Readonly<Record<string, unknown>>): boolean {
  const places = templatePlaces(config)
  if (places === undefined) return true
  const ids = schemaIds(schema)
  return places.some((path) => reaches(schema, path, ids))
}

/** Every subschema with an `$id`, by it, and the whole schema as `#`. */
export function schemaIds(schema: unknown): Map<string, unknown> {
  const ids = new Map<string, unknown>([['#', schema]])
  const stack = [schema]
  const seen = new Set<unknown>()
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value !== 'object' || value === null || seen.has(value)) continue
    seen.add(value)
    const id = (value as { $id?: unknown }).$id
    if (typeof id === 'string' && !ids.has(id)) ids.set(id, value)
    stack.push(...Object.values(value))
  }
  return ids
}

/** The path of every templated string; undefined when a key is templated (it renders a name). */
function templatePlaces(config: unknown): Step[][] | undefined {
  const places: Step[][] = []
  const stack: Array<{ value: unknown; path: Step[] }> = [{ value: config, path: [] }]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('{{')) places.push(path)
      continue
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue
    seen.add(value)
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: [...path, index] }))
      continue
    }
    for (const [key, item] of Object.entries(value)) {
      if (hasTemplate(key)) return undefined
      stack.push({ value: item, path: [...path, key] })
    }
  }
  return places
}

/** Whether `schema`, applied to a value, can judge differently once the place at `path` below it renders. */
function reaches(schema: unknown, path: readonly Step[], ids: ReadonlyMap<string, unknown>, here = new Set<unknown>()): boolean {
  if (schema === undefined || schema === true) return false
  // Met again at the same place through a reference (a schema that refers to itself): it was
  // or is being looked at already.
  if (here.has(schema)) return false
  here.add(schema)
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return true
  const keywords = Object.keys(schema).filter((keyword) => !ANNOTATIONS.has(keyword))
  if (path.length === 0) return keywords.length > 0
  if (keywords.some((keyword) => !SHAPE.has(keyword))) return true
  const s = schema as Record<string, unknown>
  if (s.$ref !== undefined) {
    if (typeof s.$ref !== 'string' || !ids.has(s.$ref) || reaches(ids.get(s.$ref), path, ids, here)) return true
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const branches = s[keyword]
    if (branches === undefined) continue
    if (!Array.isArray(branches) || branches.some((branch) => reaches(branch, path, ids, here))) return true
  }
  const [step, ...rest] = path as [Step, ...Step[]]
  if (typeof step === 'number') {
    // A tuple (`items` as an array) is not read; one schema for every item is.
    return Array.isArray(s.items) || reaches(s.items, rest, ids)
  }
  // A required key whose template renders `undefined` would be missing.
  if (rest.length === 0 && Array.isArray(s.required) && s.required.includes(step)) return true
  const properties = (s.properties ?? {}) as Record<string, unknown>
  if (typeof properties !== 'object' || properties === null) return true
  if (Object.hasOwn(properties, step)) return reaches(properties[step], rest, ids)
  // `additionalProperties: false` judges the key, which rendering keeps, never its value.
  const additional = s.additionalProperties
  if (additional === false) return false
  return reaches(additional, rest, ids)
}
