/**
 * @module
 * The `condition` node (basic engine): nested `and` / `or` groups of calculators.
 * With `rejectOnFalse: true` a false result fails the execution; with `false` it runs
 * branch `true` or `false`, and the flow then continues after the condition node. Unset,
 * it is `false` when the node has branches and `true` when it has none.
 *
 * ```json
 * { "key": "big", "type": "condition", "config": { "rejectOnFalse": false,
 *   "calculation": { "group": { "type": "and", "calculations": [
 *     { "calculator": "gt", "operands": ["{{$context.body.amount}}", 1000] } ] } } },
 *   "branches": { "true": [], "false": [] } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'
import { CALCULATOR_NAMES, calculators } from './calculators.js'

interface Calculation {
  calculator?: string
  operands?: unknown[]
  group?: { type: 'and' | 'or'; calculations: Calculation[] }
}

export interface ConditionConfig {
  rejectOnFalse?: boolean
  engine?: 'basic'
  calculation: Calculation
}

function evaluate(calculation: Calculation): boolean {
  const group = calculation.group
  if (group) {
    return group.type === 'or'
      ? group.calculations.some(evaluate)
      : group.calculations.every(evaluate)
  }
  const calculator = calculators[calculation.calculator as string]
  const [a, b] = calculation.operands ?? []
  return calculator ? calculator(a, b) : false
}

const calculationSchema = {
  $id: 'hookflow:condition-calculation',
  type: 'object',
  oneOf: [
    {
      required: ['group'],
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
      properties: {
        calculator: { enum: CALCULATOR_NAMES },
        operands: { type: 'array', minItems: 1, maxItems: 2 },
      },
    },
  ],
}

export const conditionNode = defineNode<ConditionConfig, boolean>({
  type: 'condition',
  branches: ['true', 'false'],
  configSchema: {
    type: 'object',
    required: ['calculation'],
    properties: {
      rejectOnFalse: { type: 'boolean' },
      engine: { const: 'basic' },
      calculation: calculationSchema,
    },
  },
  run({ config, flow, node }) {
    const result = evaluate(config.calculation)
    // NocoBase's default is to reject on false; a node written with branches means branch mode.
    const rejectOnFalse = config.rejectOnFalse ?? node.branches.length === 0
    if (!result && rejectOnFalse) {
      flow.end('failed')
      return result
    }
    flow.branch(result ? 'true' : 'false')
    return result
  },
})
