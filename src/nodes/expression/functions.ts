/**
 * @module
 * The fixed whitelist of functions an expression may call: numbers, text, lists and
 * conversions (dates are in `date-functions.ts`). Each checks its arguments and returns JSON.
 */
import { evaluationError } from './expression-error.js'
import { dateFunctions } from './date-functions.js'
import type { Meter } from './budget.js'
import {
  checkedArray, finite, joinChecked, kindOf, MAX_ARRAY_LENGTH, toArray, toNumber, toStringArg, toText,
} from './values.js'

export type ExpressionFunction = (args: unknown[]) => unknown

interface Definition {
  /** Fewest and most arguments; `Infinity` for variadic. */
  arity: [number, number]
  run: ExpressionFunction
  /** Reads no more than a fixed part of its arguments (`len`): they are not counted. */
  light?: boolean
}

// `sum(1, 2)` and `sum([1, 2])` both work: one array argument is the list.
function numbers(args: unknown[], name: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args
  return list.map((item) => toNumber(item, name))
}

function round(value: unknown, digits: unknown): number {
  const x = toNumber(value, 'round')
  const d = digits === undefined ? 0 : toNumber(digits, 'round')
  if (!Number.isInteger(d) || d < 0 || d > 15) throw evaluationError('round expects 0 to 15 digits')
  const factor = 10 ** d
  // Number.EPSILON nudges 1.005 to 1.01, as a person rounding would.
  return finite(Math.round((x + Math.sign(x) * Number.EPSILON * Math.abs(x)) * factor) / factor, 'round')
}

function substring(text: unknown, start: unknown, end: unknown): string {
  const s = toStringArg(text, 'substring')
  const from = toNumber(start, 'substring')
  return end === undefined ? s.slice(from) : s.slice(from, toNumber(end, 'substring'))
}

function length(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length
  if (typeof value === 'object' && value !== null) return Object.keys(value).length
  throw evaluationError(`len expects a string, an array or an object, got ${kindOf(value)}`)
}

function includes(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return haystack.includes(toText(needle))
  // eslint-disable-next-line eqeqeq -- loose, like the condition node's `includes`
  if (Array.isArray(haystack)) return haystack.some((item) => item == needle)
  throw evaluationError(`includes expects a string or an array, got ${kindOf(haystack)}`)
}

function toBoolean(value: unknown): boolean {
  if (value === 'false' || value === '0') return false
  return Boolean(value)
}

const definitions: Record<string, Definition> = {
  abs: { arity: [1, 1], run: ([x]) => Math.abs(toNumber(x, 'abs')) },
  round: { arity: [1, 2], run: ([x, d]) => round(x, d) },
  floor: { arity: [1, 1], run: ([x]) => Math.floor(toNumber(x, 'floor')) },
  ceil: { arity: [1, 1], run: ([x]) => Math.ceil(toNumber(x, 'ceil')) },
  sqrt: { arity: [1, 1], run: ([x]) => finite(Math.sqrt(toNumber(x, 'sqrt')), 'sqrt') },
  min: { arity: [1, Infinity], run: (args) => finite(numbers(args, 'min').reduce((a, b) => Math.min(a, b), Infinity), 'min of nothing') },
  max: { arity: [1, Infinity], run: (args) => finite(numbers(args, 'max').reduce((a, b) => Math.max(a, b), -Infinity), 'max of nothing') },
  sum: { arity: [1, Infinity], run: (args) => finite(numbers(args, 'sum').reduce((a, b) => a + b, 0), 'sum') },
  avg: {
    arity: [1, Infinity],
    run: (args) => {
      const list = numbers(args, 'avg')
      return finite(list.reduce((a, b) => a + b, 0) / list.length, 'avg of nothing')
    },
  },
  len: { arity: [1, 1], run: ([x]) => length(x), light: true },
  lower: { arity: [1, 1], run: ([s]) => toStringArg(s, 'lower').toLowerCase() },
  upper: { arity: [1, 1], run: ([s]) => toStringArg(s, 'upper').toUpperCase() },
  trim: { arity: [1, 1], run: ([s]) => toStringArg(s, 'trim').trim() },
  concat: { arity: [0, Infinity], run: (args) => joinChecked(args.map(toText), '') },
  substring: { arity: [2, 3], run: ([s, start, end]) => substring(s, start, end) },
  // A plain text search, never a regular expression: no pattern can run away.
  replace: {
    arity: [3, 3],
    run: ([s, search, replacement]) =>
      joinChecked(toStringArg(s, 'replace').split(toStringArg(search, 'replace')), toStringArg(replacement, 'replace')),
  },
  split: {
    arity: [2, 2],
    // The limit goes to split itself, so a huge string is never cut into more pieces than allowed.
    run: ([s, separator]) => checkedArray(toStringArg(s, 'split').split(toStringArg(separator, 'split'), MAX_ARRAY_LENGTH + 1)),
  },
  join: {
    arity: [1, 2],
    run: ([list, separator]) =>
      joinChecked(toArray(list, 'join').map(toText), separator === undefined ? ',' : toStringArg(separator, 'join')),
  },
  includes: { arity: [2, 2], run: ([haystack, needle]) => includes(haystack, needle) },
  startsWith: { arity: [2, 2], run: ([s, prefix]) => toStringArg(s, 'startsWith').startsWith(toText(prefix)) },
  endsWith: { arity: [2, 2], run: ([s, suffix]) => toStringArg(s, 'endsWith').endsWith(toText(suffix)) },
  number: { arity: [1, 1], run: ([x]) => finite(toNumber(x, 'number'), 'number') },
  string: { arity: [1, 1], run: ([x]) => toText(x) },
  boolean: { arity: [1, 1], run: ([x]) => toBoolean(x) },
  ...dateFunctions,
}

export const FUNCTION_NAMES: readonly string[] = Object.freeze(Object.keys(definitions).sort())

/**
 * Calls the whitelisted function `name`, counting on `meter` what it reads (before) and builds
 * (after); throws ExpressionError for anything else.
 */
export function callFunction(name: string, args: unknown[], meter: Meter): unknown {
  const definition = Object.hasOwn(definitions, name) ? definitions[name] : undefined
  if (!definition) throw evaluationError(`unknown function "${name}"`)
  const [fewest, most] = definition.arity
  if (args.length < fewest || args.length > most) {
    const expected = fewest === most ? `${fewest}` : most === Infinity ? `at least ${fewest}` : `${fewest} to ${most}`
    throw evaluationError(`${name} takes ${expected} argument${most === 1 ? '' : 's'}, got ${args.length}`)
  }
  if (definition.light) {
    // `len` of an object counts its keys.
    const [value] = args
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) meter.step(Object.keys(value).length)
  } else {
    for (const arg of args) meter.read(arg)
  }
  const result = definition.run(args)
  meter.built(result)
  return result
}

export function isFunctionName(name: string): boolean {
  return Object.hasOwn(definitions, name)
}
