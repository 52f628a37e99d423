/**
 * @module
 * The expression language's entry: compile once, evaluate many times. It never uses `eval`
 * or `new Function`, reaches no prototype, calls only whitelisted functions, stays within a
 * step and size budget per evaluation (`budget.ts`), and throws only `ExpressionError`.
 *
 * ```ts
 * const total = compileExpression('round(sum($context.body.prices) * (1 + vat), 2)')
 * total.names                                  // ['$context', 'vat']
 * total.evaluate({ $context: { body: { prices: [10, 5.5] } }, vat: 0.2 })   // 18.6
 * total.evaluate(variables, { maxSteps: 10_000, maxSize: 100_000 })          // a smaller budget
 * ```
 */
import type { Expr } from './ast.js'
import { ExpressionError, evaluationError } from './expression-error.js'
import { evaluate, type Variables } from './evaluate.js'
import { DEFAULT_EXPRESSION_BUDGET, type ExpressionBudget, Meter } from './budget.js'
import { isFunctionName } from './functions.js'
import { parseExpression, type ParseLimits } from './parse.js'

export const expression_limitS: Readonly<ParseLimits> = Object.freeze({ maxLength: 4096, maxTokens: 1024, maxDepth: 64 })

/**
 * A compiled expression: its source, the names it reads, and `evaluate`.
 *
 * @example
 * ```ts
 * import { compileExpression, type CompiledExpression } from 'hookflow'
 *
 * const expression: CompiledExpression = compileExpression('a + b')
 * console.log(expression.names) // ['a', 'b']
 * ```
 *
 * @inlineType Variables
 */
export interface CompiledExpression {
  /** The expression as written. */
  readonly source: string
  /** The variable names the expression reads (`$context`, `price`), sorted. */
  readonly names: readonly string[]
  /**
   * The value; `undefined` becomes `null` so results stay JSON. Throws ExpressionError only:
   * `expression_budget` once the evaluation passes `budget` (default `DEFAULT_EXPRESSION_BUDGET`).
   */
  evaluate(variables: Variables, budget?: Readonly<ExpressionBudget>): unknown
}

function collect(expr: Expr, names: Set<string>): void {
  switch (expr.type) {
    case 'name':
      names.add(expr.name)
      return
    case 'call':
      if (!isFunctionName(expr.name)) throw new ExpressionError('expression_syntax', `unknown function "${expr.name}"`, expr.index)
      for (const arg of expr.args) collect(arg, names)
      return
    case 'member':
      return collect(expr.object, names)
    case 'index':
      collect(expr.object, names)
      return collect(expr.key, names)
    case 'array':
      for (const item of expr.items) collect(item, names)
      return
    case 'unary':
      return collect(expr.operand, names)
    case 'binary':
    case 'logical':
      collect(expr.left, names)
      return collect(expr.right, names)
    case 'conditional':
      collect(expr.test, names)
      collect(expr.consequent, names)
      return collect(expr.alternate, names)
    default:
      return
  }
}

/**
 * Parses and checks `source` (syntax, limits, function names); throws ExpressionError only.
 *
 * @example
 * ```ts
 * import { compileExpression } from 'hookflow'
 *
 * const expression = compileExpression('round(price * quantity * 1.2, 2)')
 * expression.evaluate({ price: 9.99, quantity: 3 }) // 35.96
 * ```
 */
export function compileExpression(source: string, limits: ParseLimits = expression_limitS): CompiledExpression {
  if (typeof source !== 'string') throw new ExpressionError('expression_syntax', 'an expression must be a string')
  let tree: Expr
  const names = new Set<string>()
  try {
    tree = parseExpression(source, limits)
    collect(tree, names)
  } catch (error) {
    throw asExpressionError(error)
  }
  return {
    source,
    names: [...names].sort(),
    evaluate(variables, budget = DEFAULT_EXPRESSION_BUDGET) {
      try {
        const value = evaluate(tree, variables, new Meter(budget))
        return value === undefined ? null : value
      } catch (error) {
        throw asExpressionError(error)
      }
    },
  }
}

// Anything unforeseen (a stack overflow on a hostile value, say) still leaves as ExpressionError.
function asExpressionError(error: unknown): ExpressionError {
  if (error instanceof ExpressionError) return error
  return evaluationError(`expression failed: ${error instanceof Error ? error.message : String(error)}`)
}
