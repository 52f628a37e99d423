/**
 * @module
 * The `json-query` node: picks, renames and reshapes data into a new value. `source` is
 * usually a template; `mapping` describes the result (without it the result is `source`):
 *
 * - `"a.b[0].c"`: the value at that path in the current item (`"."` is the item itself);
 *   missing values are `null`
 * - `{ "path": "a.b", "default": 0 }`: the same, with a value for when it is missing
 * - `{ "value": <any> }`: a constant
 * - `{ "from": "items", "each": <mapping> }`: maps every element of the array at `from`
 *   (each element becomes the current item); a missing or non-array value gives `[]`
 * - `[<mapping>, …]`: an array of results
 * - any other object: a new object, each key mapped in turn
 *
 * ```json
 * { "key": "order", "type": "json-query", "config": { "source": "{{$context.body}}", "mapping": {
 *   "orderId": "id", "city": { "path": "shipping.city", "default": "unknown" },
 *   "lines": { "from": "items", "each": { "sku": "sku", "qty": "quantity" } } } } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'
import { compileMapping, mappingProblems, type Mapper } from './mapping.js'

/**
 * A JSON query node's config: the value to read and the mapping that shapes the result.
 *
 * @example
 * ```ts
 * import type { JsonQueryConfig } from 'hookflow'
 *
 * const config: JsonQueryConfig = {
 *   source: '{{$context.body}}',
 *   mapping: { orderId: 'id', lines: { from: 'items', each: { sku: 'sku', qty: 'quantity' } } },
 * }
 * ```
 */
export interface JsonQueryConfig {
  /** The value to read, usually a template such as `{{$context.body}}`. */
  source?: unknown
  /** The shape of the result: paths, constants, `from`/`each` over arrays, objects of mappings. */
  mapping?: unknown
}

// A mapping without templates renders to the same object on every run, so its compiled
// form is found again by identity; entries go with the workflow.
const compiled = new WeakMap<object, Mapper>()

function mapperFor(mapping: unknown): Mapper {
  if (typeof mapping !== 'object' || mapping === null) return compileMapping(mapping)
  let mapper = compiled.get(mapping)
  if (!mapper) {
    mapper = compileMapping(mapping)
    compiled.set(mapping, mapper)
  }
  return mapper
}

/**
 * The `json-query` node type: picks, renames and reshapes data.
 *
 * @example
 * ```ts
 * import { jsonQueryNode } from 'hookflow'
 *
 * console.log(jsonQueryNode.type) // 'json-query'
 * ```
 */
export const jsonQueryNode = defineNode<JsonQueryConfig, unknown>({
  type: 'json-query',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { source: {}, mapping: { type: ['string', 'object', 'array'] } },
  },
  validate: (raw) => mappingProblems((raw as JsonQueryConfig).mapping, '/mapping'),
  run({ config }) {
    const source = config.source === undefined ? null : config.source
    if (config.mapping === undefined) return source
    return mapperFor(config.mapping)(source)
  },
})
