/**
 * @module
 * JSON Schema validators (ajv), compiled once per schema object for the whole process.
 * Compiling generates code and costs 10-25 ms; an engine built per test or per tenant must
 * not pay it again for the same built-in schemas. The cache is keyed weakly by the schema
 * object and holds only pure validators, so engines still share no workflows or node types,
 * and each schema gets its own Ajv instance, so two schemas using the same `$id` never clash.
 */
import Ajv, { type ValidateFunction } from 'ajv'

const validators = new WeakMap<object, ValidateFunction>()

export function compileSchema(schema: object): ValidateFunction {
  let validate = validators.get(schema)
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    validators.set(schema, validate)
  }
  return validate
}
