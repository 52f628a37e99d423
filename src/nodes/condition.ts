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
import { type Calculation, calculationSchema, evaluateCalculation } from './calculation-tree.js'

/** @inline */
export interface ConditionConfig {
  rejectOnFalse?: boolean
  engine?: 'basic'
  calculation: Calculation
}

/**
 * The `condition` node type: checks a calculation and takes its `true` or `false` branch.
 *
 * @example
 * ```ts
 * import { conditionNode } from 'hookflow'
 *
 * console.log(conditionNode.type, conditionNode.branches) // 'condition' ['true', 'false']
 * ```
 */
export const conditionNode = defineNode<ConditionConfig, boolean>({
  type: 'condition',
  branches: ['true', 'false'],
  choosesBranch: true,
  configSchema: {
    type: 'object',
    required: ['calculation'],
    additionalProperties: false,
    properties: {
      rejectOnFalse: { type: 'boolean' },
      engine: { const: 'basic' },
      calculation: calculationSchema,
    },
  },
  run({ config, flow, node }) {
    const result = evaluateCalculation(config.calculation)
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
