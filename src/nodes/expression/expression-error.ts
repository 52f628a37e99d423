/**
 * @module
 * The one error the expression language throws, for syntax and evaluation alike: a compiled
 * or evaluated expression never throws anything else. A `HookflowError`, so a failed
 * calculation job records its stable `code`.
 */
import { HookflowError } from '../../errors/hookflow-error.js'

/**
 * Why an expression failed: bad syntax, past a parse limit, a failed evaluation, or past its budget.
 *
 * @example
 * ```ts
 * import type { ExpressionErrorCode } from 'hookflow'
 *
 * const code: ExpressionErrorCode = 'expression_budget'
 * ```
 */
export type ExpressionErrorCode = 'expression_syntax' | 'expression_limit' | 'expression_evaluation' | 'expression_budget'

/**
 * The one error expressions throw, at compile or evaluation, with a code and the index in the source where it applies.
 *
 * @example
 * ```ts
 * import { compileExpression, ExpressionError } from 'hookflow'
 *
 * try {
 *   compileExpression('1 +')
 * } catch (error) {
 *   if (error instanceof ExpressionError) console.log(error.code, error.index) // 'expression_syntax' 3
 * }
 * ```
 */
export class ExpressionError extends HookflowError {
  /** Which kind of failure: syntax, a parse limit, evaluation, or the budget. */
  declare readonly code: ExpressionErrorCode
  /** Character index in the source, when the problem has a place. */
  readonly index: number | undefined

  constructor(code: ExpressionErrorCode, message: string, index?: number) {
    super(code, index === undefined ? message : `${message} at index ${index}`)
    this.name = 'ExpressionError'
    this.index = index
  }
}

export function syntaxError(message: string, index: number): ExpressionError {
  return new ExpressionError('expression_syntax', message, index)
}

export function evaluationError(message: string): ExpressionError {
  return new ExpressionError('expression_evaluation', message)
}
