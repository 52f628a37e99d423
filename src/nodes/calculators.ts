/**
 * @module
 * The basic engine's comparison functions, with NocoBase's semantics: loose equality so a
 * query string `'1000'` equals the number `1000`, and string/array membership. None throws:
 * a missing operand simply compares false.
 */

import type { CalculatorName } from '../engine/node-definitions.js'

type Calculator = (a: unknown, b: unknown) => boolean

function includes(a: unknown, b: unknown): boolean {
  if (typeof a === 'string') return b !== null && b !== undefined && a.includes(String(b))
  if (Array.isArray(a)) return a.some((item) => item == b)
  return false
}

function startsWith(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && b !== null && b !== undefined && a.startsWith(String(b))
}

function endsWith(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && b !== null && b !== undefined && a.endsWith(String(b))
}

function comparable(a: unknown, b: unknown): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined
}

// Loose equality is deliberate (NocoBase's `equal`): webhook inputs are often strings.
/* eslint-disable eqeqeq */
// Keyed by the definition types' CalculatorName, so the two cannot drift apart.
export const calculators: Readonly<Record<CalculatorName, Calculator>> = Object.freeze({
  equal: (a, b) => a == b,
  notEqual: (a, b) => a != b,
  gt: (a, b) => comparable(a, b) && (a as number) > (b as number),
  gte: (a, b) => comparable(a, b) && (a as number) >= (b as number),
  lt: (a, b) => comparable(a, b) && (a as number) < (b as number),
  lte: (a, b) => comparable(a, b) && (a as number) <= (b as number),
  includes,
  notIncludes: (a, b) => !includes(a, b),
  startsWith,
  notStartsWith: (a, b) => !startsWith(a, b),
  endsWith,
  notEndsWith: (a, b) => !endsWith(a, b),
})

export const CALCULATOR_NAMES: readonly string[] = Object.keys(calculators)
