/**
 * @module
 * Date functions. A date is an ISO 8601 string (what JSON carries) or epoch milliseconds;
 * functions that return a date return an ISO string in UTC. Units: milliseconds, seconds,
 * minutes, hours, days, weeks, months, years.
 */
import { evaluationError } from './expression-error.js'
import { finite, kindOf, toNumber, toStringArg } from './values.js'

const FIXED_UNITS: Readonly<Record<string, number>> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
}
const UNITS = [...Object.keys(FIXED_UNITS), 'months', 'years']

function toDate(value: unknown, what: string): Date {
  let date: Date | undefined
  if (typeof value === 'number') date = new Date(value)
  else if (typeof value === 'string' && value.trim() !== '') date = new Date(value)
  if (!date || Number.isNaN(date.getTime())) {
    throw evaluationError(`${what} expects a date (ISO text or epoch milliseconds), got ${kindOf(value)}`)
  }
  return date
}

function unitOf(value: unknown, what: string): string {
  const unit = toStringArg(value, what)
  if (!UNITS.includes(unit)) throw evaluationError(`${what}: unknown unit "${unit}" (units: ${UNITS.join(', ')})`)
  return unit
}

function iso(date: Date, what: string): string {
  if (Number.isNaN(date.getTime())) throw evaluationError(`${what} gives a date out of range`)
  return date.toISOString()
}

function dateAdd(value: unknown, amount: unknown, unitName: unknown): string {
  const date = toDate(value, 'dateAdd')
  const n = toNumber(amount, 'dateAdd')
  const unit = unitOf(unitName, 'dateAdd')
  const fixed = FIXED_UNITS[unit]
  if (fixed !== undefined) return iso(new Date(date.getTime() + n * fixed), 'dateAdd')
  if (!Number.isInteger(n)) throw evaluationError(`dateAdd adds whole ${unit} only`)
  return iso(addMonths(date, unit === 'years' ? n * 12 : n), 'dateAdd')
}

// Jan 31 plus one month is the last day of February, not March 2 or 3.
function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime())
  const day = result.getUTCDate()
  result.setUTCDate(1)
  result.setUTCMonth(result.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate()
  result.setUTCDate(Math.min(day, lastDay))
  return result
}

// Whole calendar months from `from` to `to`, the inverse of dateAdd: from Jan 31 2024, Feb 29
// is one month on and Feb 28 is not yet.
function monthsBetween(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth())
  const anchor = addMonths(from, months)
  if (months > 0 && anchor > to) months--
  else if (months < 0 && anchor < to) months++
  return months
}

function dateDiff(fromValue: unknown, toValue: unknown, unitName: unknown): number {
  const from = toDate(fromValue, 'dateDiff')
  const to = toDate(toValue, 'dateDiff')
  const unit = unitOf(unitName, 'dateDiff')
  const fixed = FIXED_UNITS[unit]
  if (fixed !== undefined) return finite((to.getTime() - from.getTime()) / fixed, 'dateDiff')
  const months = monthsBetween(from, to)
  return unit === 'years' ? Math.trunc(months / 12) : months
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

// Tokens in UTC; any other character is copied as it is.
function formatDate(value: unknown, pattern: unknown): string {
  const date = toDate(value, 'formatDate')
  const format = pattern === undefined ? 'YYYY-MM-DD' : toStringArg(pattern, 'formatDate')
  if (format.length > 256) throw evaluationError('formatDate pattern is longer than 256 characters')
  return format.replace(/YYYY|MM|DD|HH|mm|ss|SSS/g, (token) => {
    switch (token) {
      case 'YYYY': return pad(date.getUTCFullYear(), 4)
      case 'MM': return pad(date.getUTCMonth() + 1, 2)
      case 'DD': return pad(date.getUTCDate(), 2)
      case 'HH': return pad(date.getUTCHours(), 2)
      case 'mm': return pad(date.getUTCMinutes(), 2)
      case 'ss': return pad(date.getUTCSeconds(), 2)
      default: return pad(date.getUTCMilliseconds(), 3)
    }
  })
}

export const dateFunctions = {
  now: { arity: [0, 0] as [number, number], run: (): string => new Date().toISOString() },
  toISO: { arity: [1, 1] as [number, number], run: ([d]: unknown[]): string => iso(toDate(d, 'toISO'), 'toISO') },
  timestamp: { arity: [1, 1] as [number, number], run: ([d]: unknown[]): number => toDate(d, 'timestamp').getTime() },
  dateAdd: { arity: [3, 3] as [number, number], run: ([d, n, u]: unknown[]): string => dateAdd(d, n, u) },
  dateDiff: { arity: [3, 3] as [number, number], run: ([a, b, u]: unknown[]): number => dateDiff(a, b, u) },
  formatDate: { arity: [1, 2] as [number, number], run: ([d, p]: unknown[]): string => formatDate(d, p) },
}
