/**
 * @module
 * The work one evaluation of an expression may do. Each function is capped on its own, but
 * a long expression repeating them over a large body (hundreds of `upper(string($context.body))`
 * over 500 KB) would hold the event loop for seconds, and no timeout can interrupt synchronous
 * code. So every evaluation is metered, and stopped with `expression_budget` once it passes:
 *
 * - **steps**: one per part of the expression evaluated, plus one per list item a function
 *   walks (`sum`, `join`, `includes` over a list) or an object key `len` counts;
 * - **size**: characters of the text that operators and functions read or build, plus the items
 *   of the lists they build.
 *
 * Reads are counted before the work and results after it, so an evaluation stops within one
 * capped operation (at most 1,048,576 characters) of its budget: milliseconds, never seconds.
 *
 * ```ts
 * const meter = new Meter({ maxSteps: 1000, maxSize: 10_000 })
 * meter.step()        // a part evaluated
 * meter.size(4096)    // a string read or built
 * ```
 */
import { ExpressionError } from './expression-error.js'

/**
 * The work one evaluation of an expression may do: steps, and characters and list items read or built.
 *
 * @example
 * ```ts
 * import { compileExpression, type ExpressionBudget } from 'hookflow'
 *
 * const budget: ExpressionBudget = { maxSteps: 1000, maxSize: 10_000 }
 * compileExpression('len(text)').evaluate({ text: 'hello' }, budget)
 * ```
 */
export interface ExpressionBudget {
  /** Steps one evaluation may take. Default 1,000,000. */
  maxSteps: number
  /** Characters and list items one evaluation may read or build. Default 8,388,608 (8 Mi). */
  maxSize: number
}

/**
 * The budget an expression evaluation gets unless told otherwise: 1,000,000 steps and 8 Mi of size.
 *
 * @example
 * ```ts
 * import { DEFAULT_EXPRESSION_BUDGET, createEngine } from 'hookflow'
 *
 * const engine = createEngine({ expressionBudget: { maxSteps: DEFAULT_EXPRESSION_BUDGET.maxSteps / 10 } })
 * ```
 */
export const DEFAULT_EXPRESSION_BUDGET: Readonly<ExpressionBudget> = Object.freeze({ maxSteps: 1_000_000, maxSize: 8_388_608 })

/** The budget with defaults filled in; a TypeError naming the option for a bad value. */
export function expressionBudget(options: Partial<ExpressionBudget> = {}): Readonly<ExpressionBudget> {
  const budget = { ...DEFAULT_EXPRESSION_BUDGET }
  for (const key of ['maxSteps', 'maxSize'] as const) {
    const value = options[key]
    if (value === undefined) continue
    if (typeof value !== 'number' || !(Number.isSafeInteger(value) || value === Infinity) || value < 1) {
      throw new TypeError(`expressionBudget.${key} must be a whole number of at least 1 (or Infinity), got ${String(value)}`)
    }
    budget[key] = value
  }
  return Object.freeze(budget)
}

/** Counts one evaluation's steps and size; throws `expression_budget` past either. */
export class Meter {
  #steps = 0
  #size = 0

  constructor(readonly budget: Readonly<ExpressionBudget>) {}

  step(count = 1): void {
    this.#steps += count
    if (this.#steps > this.budget.maxSteps) {
      throw new ExpressionError('expression_budget', `the expression took more than ${this.budget.maxSteps} steps (expressionBudget.maxSteps)`)
    }
  }

  size(count: number): void {
    this.#size += count
    if (this.#size > this.budget.maxSize) {
      throw new ExpressionError('expression_budget', `the expression read or built more than ${this.budget.maxSize} characters and items (expressionBudget.maxSize)`)
    }
  }

  /** Counts what reading `value` costs: a string's characters as size, a list's items as steps. */
  read(value: unknown): void {
    if (typeof value === 'string') this.size(value.length)
    else if (Array.isArray(value)) this.step(value.length)
  }

  /** Counts what building `value` cost: a string's characters or a list's items, as size. */
  built(value: unknown): void {
    if (typeof value === 'string' || Array.isArray(value)) this.size(value.length)
  }
}
