/**
 * @module
 * The `request` node's numeric fields (`timeout`, `maxResponseBytes`, `maxRedirects`), which
 * may be templates: a rendered value is read as a number (a number, or a text of digits, as a
 * query string gives it), then checked against the field's range. A template that renders
 * nothing leaves the default.
 *
 * ```ts
 * numberOf({ timeout: '250' }, 'timeout')   // 250
 * numberOf({}, 'maxRedirects')             // 5
 * ```
 */
import type { ConfigProblem } from '../../engine/node-type.js'
import { invalid } from './build-request.js'

export const DEFAULT_REQUEST_TIMEOUT = 5000
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

export type NumberField = 'timeout' | 'maxResponseBytes' | 'maxRedirects'

type NumberFields = Partial<Record<NumberField, unknown>>

const NUMBERS: Readonly<Record<NumberField, { max: number; fallback: number }>> = {
  timeout: { max: 3_600_000, fallback: DEFAULT_REQUEST_TIMEOUT },
  maxResponseBytes: { max: 67_108_864, fallback: DEFAULT_MAX_RESPONSE_BYTES },
  maxRedirects: { max: 20, fallback: 5 },
}
const DIGITS = /^\s*\d+\s*$/

/** `value` as a whole number from 0 to the field's maximum, or undefined when it is not one. */
function wholeNumber(field: NumberField, value: unknown): number | undefined {
  const number = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 && number <= NUMBERS[field].max ? number : undefined
}

function numberProblem(field: NumberField): string {
  return `must be a whole number from 0 to ${NUMBERS[field].max} (or a template that renders one)`
}

/** The rendered `field` of `config` as a number; `request_invalid` naming the field when it is none. */
export function numberOf(config: NumberFields, field: NumberField): number {
  const value = config[field]
  if (value === undefined) return NUMBERS[field].fallback
  const number = wholeNumber(field, value)
  if (number === undefined) throw invalid(`${field} ${numberProblem(field)}, got ${String(JSON.stringify(value)).slice(0, 40)}`)
  return number
}

/** At `register`: literal values (not templates) that are no whole number in range. */
export function numberProblems(config: NumberFields): ConfigProblem[] {
  const found: ConfigProblem[] = []
  for (const field of Object.keys(NUMBERS) as NumberField[]) {
    const value = config[field]
    if (value === undefined || (typeof value === 'string' && value.includes('{{'))) continue
    if (wholeNumber(field, value) === undefined) found.push({ path: `/${field}`, message: numberProblem(field) })
  }
  return found
}
