/**
 * @module
 * The `calculation` node: evaluates an expression (see `./expression`) and makes its value
 * the job's result. The expression reads `$context` and `$jobsMapByNodeKey` directly, and
 * any name listed in `variables`, whose values are templates (so `$scopes` and anything else
 * a template reaches come in that way). The source itself is never a template: values are
 * never pasted into code. Each evaluation stays within the engine's expression budget
 * (`createEngine({ expressionBudget })`); past it the job fails with `expression_budget`.
 *
 * ```json
 * { "key": "total", "type": "calculation", "config": {
 *   "expression": "round(sum(prices) * (1 + $context.body.vat), 2)",
 *   "variables": { "prices": "{{$jobsMapByNodeKey.items.prices}}" } } }
 * ```
 */
import { defineNode, type ConfigProblem, type NodeType } from '../engine/node-type.js'
import { compileExpression, type CompiledExpression, type ExpressionBudget, expressionBudget, ExpressionError } from './expression/index.js'
import { isForbiddenSegment } from '../engine/templates/path.js'

/**
 * A Calculation node's config: the expression and the variables it reads.
 *
 * @example
 * ```ts
 * import type { CalculationConfig } from 'hookflow'
 *
 * const config: CalculationConfig = { expression: 'round(total * 1.2, 2)', variables: { total: '{{$context.body.total}}' } }
 * ```
 */
export interface CalculationConfig {
  /** The expression, e.g. `price * quantity`. */
  expression: string
  /** The names the expression reads, with their (templated) values. */
  variables?: Record<string, unknown>
}

const ROOTS = ['$context', '$jobsMapByNodeKey']
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/
const RESERVED = new Set(['true', 'false', 'null'])

// Parsing is a pure function of the source, so one bounded memo serves every engine: the
// run path finds the tree the `register` check already built.
const compiled = new Map<string, CompiledExpression>()
const MEMO_SIZE = 1000

function compile(source: string): CompiledExpression {
  let expression = compiled.get(source)
  if (!expression) {
    expression = compileExpression(source)
    if (compiled.size >= MEMO_SIZE) compiled.clear()
    compiled.set(source, expression)
  }
  return expression
}

function problems(raw: unknown): ConfigProblem[] {
  const config = raw as Partial<CalculationConfig>
  if (typeof config.expression !== 'string') return []
  if (config.expression.includes('{{')) {
    return [{ path: '/expression', message: 'an expression cannot hold a template; list the value under "variables" and use its name' }]
  }
  const found: ConfigProblem[] = []
  const declared = Object.keys(config.variables ?? {})
  for (const name of declared) {
    if (!VARIABLE_NAME.test(name) || RESERVED.has(name) || isForbiddenSegment(name)) {
      found.push({ path: `/variables/${name}`, message: 'a variable name is a letter or _ then letters, digits or _ (not true, false or null)' })
    }
  }
  try {
    const known = new Set([...ROOTS, ...declared])
    for (const name of compile(config.expression).names) {
      if (!known.has(name)) {
        found.push({ path: '/expression', message: `unknown variable "${name}" (known: ${[...known].join(', ')})` })
      }
    }
  } catch (error) {
    found.push({ path: '/expression', message: (error as ExpressionError).message })
  }
  return found
}

const configSchema = {
  type: 'object',
  required: ['expression'],
  additionalProperties: false,
  properties: {
    expression: { type: 'string', minLength: 1 },
    variables: { type: 'object' },
  },
}

/**
 * The expression budget of a `calculation` node type built with `createCalculationNode`.
 *
 * @example
 * ```ts
 * import { createCalculationNode, type CalculationNodeOptions } from 'hookflow'
 *
 * const options: CalculationNodeOptions = { expressionBudget: { maxSteps: 10_000 } }
 * const calculation = createCalculationNode(options)
 * ```
 */
export interface CalculationNodeOptions {
  /** Steps and size one evaluation may use; defaults `DEFAULT_EXPRESSION_BUDGET`. */
  expressionBudget?: Partial<ExpressionBudget>
}

/**
 * The `calculation` node type with its own expression budget (`createEngine` builds one per engine).
 *
 * @example
 * ```ts
 * import { createCalculationNode } from 'hookflow'
 *
 * const strict = createCalculationNode({ expressionBudget: { maxSteps: 10_000, maxSize: 100_000 } })
 * ```
 */
export function createCalculationNode(options: CalculationNodeOptions = {}): NodeType<CalculationConfig, unknown> {
  const budget = expressionBudget(options.expressionBudget)
  return defineNode<CalculationConfig, unknown>({
    type: 'calculation',
    configSchema,
    validate: problems,
    run({ config, execution, jobs }) {
      const variables: Record<string, unknown> = Object.create(null)
      for (const [name, value] of Object.entries(config.variables ?? {})) variables[name] = value
      variables.$context = execution.context
      variables.$jobsMapByNodeKey = jobs
      return compile(config.expression).evaluate(variables, budget)
    },
  })
}

/**
 * The `calculation` node type with the default expression budget.
 *
 * @example
 * ```ts
 * import { calculationNode } from 'hookflow'
 *
 * console.log(calculationNode.type) // 'calculation'
 * ```
 */
export const calculationNode: NodeType<CalculationConfig, unknown> = createCalculationNode()
