/**
 * @module
 * Evaluates a basic-engine calculation (nested `and` / `or` groups of calculators) on rendered
 * operands; shared by the nodes that test conditions (loop).
 *
 * ```ts
 * evaluateCalculation({ group: { type: 'and', calculations: [{ calculator: 'gt', operands: [5, 1] }] } }) // true
 * ```
 */
import { calculators } from './calculators.js'

export interface Calculation {
  calculator?: string
  operands?: unknown[]
  group?: { type: 'and' | 'or'; calculations: Calculation[] }
}

export function evaluateCalculation(calculation: Calculation): boolean {
  const group = calculation.group
  if (group) {
    const calculations = Array.isArray(group.calculations) ? group.calculations : []
    return group.type === 'or' ? calculations.some(evaluateCalculation) : calculations.every(evaluateCalculation)
  }
  const calculator = Object.hasOwn(calculators, calculation.calculator ?? '') ? calculators[calculation.calculator!] : undefined
  const [a, b] = calculation.operands ?? []
  return calculator ? calculator(a, b) : false
}
