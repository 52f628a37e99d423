/**
 * @module
 * JSON Schema validators (ajv), compiled once per schema object for the whole process.
 * Compiling generates code and costs 10-25 ms; an engine built per test or per tenant must
 * not pay it again for the same built-in schemas. The cache is keyed weakly by the schema
 * object and holds only pure validators, so engines still share no workflows or node types,
 * and each schema gets its own Ajv instance, so two schemas using the same `$id` never clash.
 * Errors are verbose (they carry their schema and data): `schema-problems.ts` turns them into
 * words, and re-checks the branches of a `oneOf` one by one with `compileWithin`.
 */
import Ajv, { type ValidateFunction } from 'ajv'
import { schemaIds } from './schema-reach.js'

const validators = new WeakMap<object, ValidateFunction>()
const instances = new WeakMap<ValidateFunction, Ajv>()
const parts = new WeakMap<object, ValidateFunction | null>()
const withIds = new WeakSet<Ajv>()
const ANYTHING = {}
const NOTHING = { not: {} }

export function compileSchema(schema: object): ValidateFunction {
  let validate = validators.get(schema)
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true })
    validate = ajv.compile(schema)
    validators.set(schema, validate)
    instances.set(validate, ajv)
  }
  return validate
}

/**
 * A validator for `part`, a subschema of the one `root` validates, compiled by the same Ajv so
 * references to `$id`s in the root resolve; undefined when it cannot stand alone (a reference
 * relative to the root, such as `#/$defs/x`).
 */
export function compileWithin(root: ValidateFunction, part: unknown): ValidateFunction | undefined {
  if (typeof part !== 'object' && typeof part !== 'boolean') return undefined
  if (part === null) return undefined
  if (typeof part === 'boolean') return compileSchema(part ? ANYTHING : NOTHING)
  const cached = parts.get(part)
  if (cached !== undefined) return cached ?? undefined
  const ajv = instances.get(root)
  if (ajv && !withIds.has(ajv)) {
    withIds.add(ajv)
    addInnerIds(ajv, root.schema)
  }
  let validate: ValidateFunction | null = null
  try {
    validate = ajv ? ajv.compile(part) : null
  } catch {
    validate = null
  }
  parts.set(part, validate)
  return validate ?? undefined
}

// Ajv resolves an `$id` inside a schema only from that schema; a part compiled on its own finds
// it once it is added to the instance.
function addInnerIds(ajv: Ajv, schema: unknown): void {
  for (const [id, value] of schemaIds(schema)) {
    if (value === schema || ajv.getSchema(id)) continue
    try {
      ajv.addSchema(value as object)
    } catch {}
  }
}
