/**
 * @module
 * Conversions the evaluator and the functions share, each with a clear error for a value of
 * the wrong kind. Results stay JSON: no NaN, no Infinity, strings and arrays of bounded size.
 */
import { ExpressionError, evaluationError } from './expression-error.js'

/** Longest string (in UTF-16 units) and array an expression may build. */
export const MAX_STRING_LENGTH = 1_048_576
export const MAX_ARRAY_LENGTH = 100_000

export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** Numbers, numeric strings (webhook inputs often are) and booleans; anything else throws. */
export function toNumber(value: unknown, what: string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    if (!Number.isNaN(number)) return number
  }
  throw evaluationError(`${what} expects a number, got ${kindOf(value)}${typeof value === 'string' ? ` ${JSON.stringify(value.slice(0, 40))}` : ''}`)
}

export function finite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw evaluationError(`${what} does not give a finite number`)
  return value
}

/** Text of a value: null and undefined are '', objects and arrays their JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') {
    try {
      return checkedString(JSON.stringify(value) ?? '')
    } catch (error) {
      if (error instanceof ExpressionError) throw error
      throw evaluationError('value cannot be turned into text')
    }
  }
  return String(value)
}

export function toStringArg(value: unknown, what: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw evaluationError(`${what} expects a string, got ${kindOf(value)}`)
}

export function toArray(value: unknown, what: string): readonly unknown[] {
  if (Array.isArray(value)) return value
  throw evaluationError(`${what} expects an array, got ${kindOf(value)}`)
}

export function checkedString(value: string): string {
  if (value.length > MAX_STRING_LENGTH) {
    throw new ExpressionError('expression_limit', `a string longer than ${MAX_STRING_LENGTH} characters`)
  }
  return value
}

/** `parts.join(separator)`, refused before it is built when it would pass the string cap. */
export function joinChecked(parts: readonly string[], separator: string): string {
  let length = parts.length > 0 ? separator.length * (parts.length - 1) : 0
  for (const part of parts) length += part.length
  if (length > MAX_STRING_LENGTH) {
    throw new ExpressionError('expression_limit', `a string longer than ${MAX_STRING_LENGTH} characters`)
  }
  return parts.join(separator)
}

export function checkedArray<T>(value: T[]): T[] {
  if (value.length > MAX_ARRAY_LENGTH) {
    throw new ExpressionError('expression_limit', `an array longer than ${MAX_ARRAY_LENGTH} items`)
  }
  return value
}

/** JavaScript truthiness, which is what `!`, `&&`, `||` and `?:` use. */
export function truthy(value: unknown): boolean {
  return Boolean(value)
}
