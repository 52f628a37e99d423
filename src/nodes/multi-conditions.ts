/**
 * @module
 * The `multi-conditions` node: ordered conditions, each a calculation tree like the
 * `condition` node's; the first that holds runs its branch, and when none does the
 * `otherwise` branch runs. A condition's branch is named by its `key`, or by its position
 * from 1 (`"1"`, `"2"`, …). The flow then continues after the node. The job's result is the
 * name of the branch that ran.
 *
 * ```json
 * { "key": "route", "type": "multi-conditions", "config": { "conditions": [
 *     { "key": "vip", "calculation": { "calculator": "equal", "operands": ["{{$context.body.tier}}", "vip"] } },
 *     { "calculation": { "calculator": "gt", "operands": ["{{$context.body.total}}", 1000] } } ] },
 *   "branches": { "vip": [], "2": [], "otherwise": [] } }
 * ```
 */
import { defineNode, type ConfigProblem } from '../engine/node-type.js'
import { type Calculation, calculationSchema, evaluateCalculation } from './calculation-tree.js'

/**
 * A Multi-conditions node's config: conditions checked in order; the first that holds picks its branch.
 *
 * @example
 * ```ts
 * import type { MultiConditionsConfig } from 'hookflow'
 *
 * const config: MultiConditionsConfig = {
 *   conditions: [
 *     { key: 'refund', calculation: { calculator: 'equal', operands: ['{{$context.body.type}}', 'refund'] } },
 *     { key: 'charge', calculation: { calculator: 'equal', operands: ['{{$context.body.type}}', 'charge'] } },
 *   ],
 * }
 * ```
 */
export interface MultiConditionsConfig {
  /** Checked in order: a `key` (or position from 1) names each one's branch. */
  conditions: Array<{ key?: string; title?: string; calculation: Calculation }>
}

export const OTHERWISE = 'otherwise'
const MAX_CONDITIONS = 100

function conditionsOf(config: unknown): unknown[] {
  const conditions = (config as { conditions?: unknown } | null)?.conditions
  return Array.isArray(conditions) ? conditions : []
}

function branchName(condition: unknown, index: number): string {
  const key = (condition as { key?: unknown } | null)?.key
  return typeof key === 'string' ? key : String(index + 1)
}

function branchNames(config: unknown): string[] {
  return [...conditionsOf(config).map(branchName), OTHERWISE]
}

function problems(config: unknown): ConfigProblem[] {
  const found: ConfigProblem[] = []
  const seen = new Set<string>()
  conditionsOf(config).forEach((condition, index) => {
    const name = branchName(condition, index)
    if (name.includes('{{')) found.push({ path: `/conditions/${index}/key`, message: 'a branch name cannot be a template' })
    else if (name === OTHERWISE || seen.has(name)) {
      found.push({ path: `/conditions/${index}/key`, message: `branch name "${name}" is used twice (or is "${OTHERWISE}")` })
    }
    seen.add(name)
  })
  return found
}

/**
 * The `multi-conditions` node type: the branch of the first condition that holds, else `otherwise`.
 *
 * @example
 * ```ts
 * import { multiConditionsNode } from 'hookflow'
 *
 * console.log(multiConditionsNode.type) // 'multi-conditions'
 * ```
 */
export const multiConditionsNode = defineNode<MultiConditionsConfig, string>({
  type: 'multi-conditions',
  branchesFor: branchNames,
  choosesBranch: true,
  configSchema: {
    type: 'object',
    required: ['conditions'],
    additionalProperties: false,
    properties: {
      conditions: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_CONDITIONS,
        items: {
          type: 'object',
          required: ['calculation'],
          additionalProperties: false,
          properties: {
            // Digits are left to positional names, so "2" always means the second condition.
            key: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,63}$' },
            title: { type: 'string' },
            calculation: calculationSchema,
          },
        },
      },
    },
  },
  validate: problems,
  run({ config, flow }) {
    const index = config.conditions.findIndex((condition) => evaluateCalculation(condition.calculation))
    const branch = index === -1 ? OTHERWISE : branchName(config.conditions[index], index)
    flow.branch(branch)
    return branch
  },
})
