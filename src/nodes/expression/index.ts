/**
 * @module
 * The expression language used by the `calculation` node.
 *
 * ```ts
 * import { compileExpression } from './index.js'
 * compileExpression("upper(concat('order-', id))").evaluate({ id: 7 })   // 'ORDER-7'
 * ```
 */
export { compileExpression, EXPRESSION_LIMITS, type CompiledExpression } from './compile-expression.js'
export { ExpressionError, type ExpressionErrorCode } from './expression-error.js'
export { DEFAULT_EXPRESSION_BUDGET, expressionBudget, type ExpressionBudget } from './budget.js'
export { FUNCTION_NAMES } from './functions.js'
