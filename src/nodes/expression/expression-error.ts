/**
 * @module
 * The one error the expression language throws, for syntax and evaluation alike: a compiled
 * or evaluated expression never throws anything else.
 */

export class ExpressionError extends Error {
  /** Stable: `EXPRESSION_SYNTAX`, `EXPRESSION_LIMIT` or `EXPRESSION_EVALUATION`. */
  readonly code: 'EXPRESSION_SYNTAX' | 'EXPRESSION_LIMIT' | 'EXPRESSION_EVALUATION'
  /** Character index in the source, when the problem has a place. */
  readonly index: number | undefined

  constructor(code: ExpressionError['code'], message: string, index?: number) {
    super(index === undefined ? message : `${message} at index ${index}`)
    this.name = 'ExpressionError'
    this.code = code
    this.index = index
  }
}

export function syntaxError(message: string, index: number): ExpressionError {
  return new ExpressionError('EXPRESSION_SYNTAX', message, index)
}

export function evaluationError(message: string): ExpressionError {
  return new ExpressionError('EXPRESSION_EVALUATION', message)
}
