/**
 * @module
 * The basic engine's calculation tree, shared by the `condition`, `multi-conditions`
 * and `loop` nodes: nested `and` / `or` groups of calculators, and its JSON Schema.
 *
 * ```ts
 * evaluateCalculation({ group: { type: 'and', calculations: [{ calculator: 'gt', operands: [5, 1] }] } }) // true
 * ```
 */
import { CALCULATOR_NAMES, calculators } from './calculators.js'

/** @inline */
export interface Calculation {
  calculator?: string
  operands?: unknown[]
  group?: { type: 'and' | 'or'; calculations: Calculation[] }
}

/** True when the (rendered) calculation holds; an unknown calculator compares false. */
export function evaluateCalculation(calculation: Calculation): boolean {
  const group = calculation.group
  if (group) {
    const calculations = Array.isArray(group.calculations) ? group.calculations : []
    return group.type === 'or' ? calculations.some(evaluateCalculation) : calculations.every(evaluateCalculation)
  }
  const name = calculation.calculator ?? ''
  const calculator = Object.hasOwn(calculators, name) ? calculators[name as keyof typeof calculators] : undefined
  const [a, b] = calculation.operands ?? []
  return calculator ? calculator(a, b) : false
}

export const calculationSchema = {
  $id: 'hookflow:condition-calculation',
  type: 'object',
  oneOf: [
    {
      required: ['group'],
      additionalProperties: false,
      properties: {
        group: {
          type: 'object',
          required: ['type', 'calculations'],
          additionalProperties: false,
          properties: {
            type: { enum: ['and', 'or'] },
            calculations: { type: 'array', items: { $ref: 'hookflow:condition-calculation' } },
          },
        },
      },
    },
    {
      required: ['calculator', 'operands'],
      additionalProperties: false,
      properties: {
        calculator: { enum: CALCULATOR_NAMES },
        operands: { type: 'array', minItems: 1, maxItems: 2 },
      },
    },
  ],
}
