/**
 * @module
 * ajv's errors in words, one problem per place. A `oneOf` / `anyOf` that fails is re-checked
 * branch by branch, and only the branch the value was meant for speaks (the one whose shape it
 * has, or that knows most of its keys): one wrong calculator gives `unknown calculator
 * "greaterThan" (known: equal, notEqual, …)`, not six lines of `must match exactly one schema`.
 * Enums and constants name the allowed values, types the expected type, unknown properties the
 * known ones, and near misses get a "did you mean".
 *
 * With `templates: true` (a node config at `register`), whatever a template could still change
 * once rendered is left for the check after rendering; everything else is reported, however
 * many templates sit beside it.
 *
 * ```ts
 * schemaProblems(compileSchema(schema), { status: 201, body: '{{$context.body}}' }, { templates: true })
 * // [{ path: '/status', message: 'unknown property "status" (did you mean "statusCode"?)' }]
 * ```
 */
import type { ErrorObject, ValidateFunction } from 'ajv'
import { compileWithin } from './compile-schema.js'
import { nameList, suggestion } from './did-you-mean.js'

export interface SchemaProblem {
  /** JSON Pointer into the validated value. */
  path: string
  message: string
}

export interface SchemaProblemOptions {
  /** Leave out what a template (a string holding `{{`) could change once rendered. */
  templates?: boolean
}

/** Validates `data` with `validate`; [] when it passes. */
export function schemaProblems(validate: ValidateFunction, data: unknown, options: SchemaProblemOptions = {}): SchemaProblem[] {
  if (validate(data)) return []
  return explainErrors(validate, validate.errors ?? [], options)
}

/** The problems behind `errors`, which `validate` (compiled by `compileSchema`) just reported. */
export function explainErrors(validate: ValidateFunction, errors: readonly ErrorObject[], options: SchemaProblemOptions = {}): SchemaProblem[] {
  return onePerPlace(explain(validate, errors, options))
}

function explain(root: ValidateFunction, errors: readonly ErrorObject[], options: SchemaProblemOptions): SchemaProblem[] {
  let rest = errors.filter((error) => error.keyword !== 'if' && !(options.templates && templateMayChange(error)))
  const problems: SchemaProblem[] = []
  for (;;) {
    const composite = outermostComposite(rest)
    if (!composite) break
    const { explained, covers } = explainComposite(root, composite, options)
    problems.push(...explained)
    rest = rest.filter((error) => error !== composite && !covers(error))
  }
  for (const error of rest) problems.push(inWords(error))
  return problems
}

const COMPOSITES = new Set(['oneOf', 'anyOf'])

function outermostComposite(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let found: ErrorObject | undefined
  for (const error of errors) {
    if (!COMPOSITES.has(error.keyword)) continue
    if (!found || depth(error.instancePath) < depth(found.instancePath)) found = error
  }
  return found
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1
}

function isAtOrBelow(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`)
}

const errorId = (error: ErrorObject): string => `${error.instancePath}\n${error.keyword}\n${JSON.stringify(error.params)}`

// Shape keywords at the value itself: a branch that reports one is not the form the value has.
const MISMATCH = new Set(['type', 'required', 'const', 'enum', 'false schema', 'oneOf', 'anyOf'])

function explainComposite(
  root: ValidateFunction,
  composite: ErrorObject,
  options: SchemaProblemOptions,
): { explained: SchemaProblem[]; covers: (error: ErrorObject) => boolean } {
  const base = composite.instancePath
  const below = (error: ErrorObject): boolean => isAtOrBelow(error.instancePath, base)
  const branches = Array.isArray(composite.schema) ? (composite.schema as unknown[]) : []
  const data: unknown = composite.data
  const passing = (composite.params as { passingSchemas?: unknown }).passingSchemas
  if (Array.isArray(passing)) {
    return { explained: [{ path: base, message: `matches more than one of its forms (${describeForms(branches)}); keep one` }], covers: below }
  }
  const reports: ErrorObject[][] = []
  for (const branch of branches) {
    const validate = compileWithin(root, branch)
    if (!validate) return { explained: [{ path: base, message: `must be ${describeForms(branches)}, not ${describeValue(data)}` }], covers: below }
    reports.push(validate(data) ? [] : (validate.errors ?? []).map((error) => ({ ...error, instancePath: base + error.instancePath })))
  }
  const seen = new Set(reports.flat().map(errorId))
  const covers = (error: ErrorObject): boolean => below(error) && seen.has(errorId(error))
  const kept = reports.map((errors) => errors.filter((error) => error.keyword !== 'if' && !(options.templates && templateMayChange(error))))
  // A branch that only a template keeps from matching may match once it renders.
  if (kept.some((errors) => errors.length === 0)) return { explained: [], covers }
  const fitting = kept
    .map((errors, index) => ({ errors, index }))
    .filter(({ errors }) => !errors.some((error) => error.instancePath === base && MISMATCH.has(error.keyword)))
  let chosen = fitting.sort((a, b) => a.errors.length - b.errors.length)[0]?.index
  chosen ??= closestByKeys(branches, data)
  if (chosen === undefined) {
    return { explained: [{ path: base, message: `must be ${describeForms(branches)}, not ${describeValue(data)}` }], covers }
  }
  return { explained: explain(root, kept[chosen] ?? [], options), covers }
}

/** The one branch that declares the most of the value's keys, if exactly one does. */
function closestByKeys(branches: readonly unknown[], data: unknown): number | undefined {
  if (!isObject(data)) return undefined
  const keys = Object.keys(data)
  const scores = branches.map((branch) => {
    const properties = isObject(branch) && isObject(branch.properties) ? branch.properties : {}
    return keys.filter((key) => Object.hasOwn(properties, key)).length
  })
  const best = Math.max(0, ...scores)
  if (best === 0 || scores.filter((score) => score === best).length > 1) return undefined
  return scores.indexOf(best)
}

/** Whether rendering the templates in the value could change this verdict. */
function templateMayChange(error: ErrorObject): boolean {
  const value: unknown = error.data
  if (isTemplateString(value)) return true
  switch (error.keyword) {
    case 'additionalProperties':
      return String((error.params as { additionalProperty?: unknown }).additionalProperty).includes('{{')
    case 'required':
    case 'dependencies':
    case 'dependentRequired':
    case 'propertyNames':
    case 'minProperties':
    case 'maxProperties':
      return isObject(value) && Object.keys(value).some((key) => key.includes('{{'))
    case 'uniqueItems':
    case 'const':
    case 'enum':
    case 'not':
    case 'contains':
      return holdsTemplate(value, 0)
    default:
      return false
  }
}

function holdsTemplate(value: unknown, level: number): boolean {
  if (typeof value === 'string') return value.includes('{{')
  if (typeof value !== 'object' || value === null || level > 64) return false
  if (Array.isArray(value)) return value.some((item) => holdsTemplate(item, level + 1))
  return Object.entries(value).some(([key, item]) => key.includes('{{') || holdsTemplate(item, level + 1))
}

function inWords(error: ErrorObject): SchemaProblem {
  const path = error.instancePath
  const value: unknown = error.data
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty)
      const parent = error.parentSchema as { properties?: unknown } | undefined
      const known = isObject(parent?.properties) ? Object.keys(parent.properties) : []
      const hint = suggestion(extra, known) || (known.length > 0 ? ` (known: ${nameList(known)})` : ' (none is allowed here)')
      return { path: `${path}/${escapePointer(extra)}`, message: `unknown property "${extra}"${hint}` }
    }
    case 'required':
      return { path, message: `missing required property "${String(params.missingProperty)}"` }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : []
      const noun = lastKey(path)
      if (typeof value === 'string' && noun !== undefined && allowed.every((item) => typeof item === 'string')) {
        const names = allowed as string[]
        return { path, message: `unknown ${noun} "${value}"${suggestion(value, names)} (known: ${nameList(names)})` }
      }
      const hint = typeof value === 'string' ? suggestion(value, allowed.filter((item): item is string => typeof item === 'string')) : ''
      return { path, message: `must be one of ${allowed.map(show).join(', ')}, not ${show(value)}${hint}` }
    }
    case 'const':
      return { path, message: `must be ${show(params.allowedValue)}, not ${show(value)}` }
    case 'type':
      return { path, message: `must be ${typeWords(params.type)}, not ${describeValue(value)}` }
    case 'false schema':
      return { path, message: 'is not allowed here' }
    default:
      return { path, message: error.message ?? 'is invalid' }
  }
}

/** Several missing properties of one object make one problem; otherwise the first problem of each place. */
function onePerPlace(problems: readonly SchemaProblem[]): SchemaProblem[] {
  const byPath = new Map<string, SchemaProblem>()
  const missing = new Map<string, string[]>()
  for (const problem of problems) {
    const match = /^missing required property "(.*)"$/.exec(problem.message)
    if (match) {
      const names = missing.get(problem.path) ?? []
      if (!names.includes(match[1]!)) names.push(match[1]!)
      missing.set(problem.path, names)
    }
    if (!byPath.has(problem.path)) byPath.set(problem.path, problem)
  }
  return [...byPath.values()].map((problem) => {
    const names = missing.get(problem.path)
    if (!names || names.length < 2 || !problem.message.startsWith('missing required')) return problem
    return { path: problem.path, message: `missing required properties ${names.map((name) => `"${name}"`).join(' and ')}` }
  })
}

function describeForms(branches: readonly unknown[]): string {
  const forms = [...new Set(branches.map(describeSchema))]
  return forms.length <= 1 ? (forms[0] ?? 'valid') : `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}`
}

function describeSchema(schema: unknown): string {
  if (schema === true) return 'anything'
  if (!isObject(schema)) return 'nothing'
  if (schema.const !== undefined) return show(schema.const)
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(show).join(', ')}`
  if (Array.isArray(schema.required) && schema.required.length > 0) {
    return `an object with ${schema.required.map((name) => `"${String(name)}"`).join(' and ')}`
  }
  if (schema.type !== undefined) return typeWords(schema.type)
  return 'a valid value'
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
}

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((name) => TYPE_WORDS[String(name)] ?? String(name))
  return types.length <= 1 ? (types[0] ?? 'valid') : `${types.slice(0, -1).join(', ')} or ${types.at(-1)}`
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing'
  if (Array.isArray(value)) return 'an array'
  if (isObject(value)) {
    const keys = Object.keys(value)
    if (keys.length === 0) return 'an empty object'
    return `an object with ${keys.slice(0, 5).map((key) => `"${key}"`).join(', ')}${keys.length > 5 ? ', …' : ''}`
  }
  if (typeof value === 'number') return `the number ${show(value)}`
  if (typeof value === 'string') return `the string ${show(value)}`
  return show(value)
}

function show(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** The property name at the end of a pointer, for "unknown <name>"; none for an array index. */
function lastKey(pointer: string): string | undefined {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~')
  return last === '' || /^\d+$/.test(last) ? undefined : last
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isTemplateString(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{')
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}
