import { describe, expect, it } from 'vitest'
import { compileExpression, createEngine, DEFAULT_EXPRESSION_BUDGET, ExpressionError } from '../../src/index.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError)
    return error as ExpressionError
  }
  throw new Error('expected an ExpressionError')
}

/** About 520 KB of JSON: 4,000 order lines. */
function bigBody(): Record<string, unknown> {
  const lines = Array.from({ length: 4000 }, (_, i) => ({ sku: `SKU-${i}-${'abcdefghij'.repeat(3)}`, note: 'x'.repeat(60), qty: i % 7, price: i * 1.5 }))
  return { lines, comment: 'lorem ipsum '.repeat(1000) }
}

/** `unit` joined by ` + ` up to just under 1,950 characters, as the report's expression. */
function repeated(unit: string): string {
  const count = Math.floor(1950 / (unit.length + 3))
  return Array.from({ length: count }, () => unit).join(' + ')
}

describe('the expression budget', () => {
  it('fails a long expression over a ~500 KB body with expression_budget, and the execution is error', async () => {
    const body = bigBody()
    expect(JSON.stringify(body).length).toBeGreaterThan(500_000)
    const expression = repeated('len(upper(string($context.body)))')
    expect(expression.length).toBeGreaterThan(1900)
    const { engine, trigger } = setup([syncFlow('heavy', [{ key: 'churn', type: 'calculation', config: { expression } }, answer('never')])])
    const { status, body: answered, execution } = await callFlow(engine, trigger, 'heavy', body)
    expect(status).toBe(500)
    expect(answered).toMatchObject({ status: 'error' })
    expect(execution.status).toBe('error')
    const job = jobOf(execution, 'churn')
    expect(job.status).toBe('error')
    expect(job.error).toMatchObject({ code: 'expression_budget', name: 'ExpressionError' })
    expect(job.error?.message).toContain('expressionBudget.maxSize')
  })

  it('stops each kind of repeated work over a large body: text scans, replaces, splits and joins', () => {
    const variables = { $context: { body: bigBody() } }
    for (const unit of [
      'len(string($context.body))',
      "len(replace(string($context.body), 'a', 'bb'))",
      "includes(lower(string($context.body)), 'zzzz')",
      "len(join(split(string($context.body), 'S'), 'T'))",
    ]) {
      expect(errorOf(() => compileExpression(repeated(unit)).evaluate(variables)).code, unit).toBe('expression_budget')
    }
  })

  it('counts list items a function walks as steps', () => {
    const list = Array.from({ length: 100_000 }, (_, i) => i)
    expect(compileExpression('sum(list)').evaluate({ list })).toBe(4_999_950_000)
    const error = errorOf(() => compileExpression(repeated('sum(list)')).evaluate({ list }))
    expect([error.code, error.message]).toEqual(['expression_budget', expect.stringContaining('expressionBudget.maxSteps')])
  })

  it('has documented defaults: 1,000,000 steps and 8,388,608 characters and items', () => {
    expect(DEFAULT_EXPRESSION_BUDGET).toEqual({ maxSteps: 1_000_000, maxSize: 8_388_608 })
  })

  it('takes a budget per evaluation, counting one step per part of the expression', () => {
    const expression = compileExpression('1 + 2 + 3')
    expect(expression.evaluate({}, { maxSteps: 5, maxSize: 10 })).toBe(6)
    expect(errorOf(() => expression.evaluate({}, { maxSteps: 4, maxSize: 10 })).code).toBe('expression_budget')
  })

  it('counts the characters text operations read and build against maxSize', () => {
    const text = 'x'.repeat(40)
    const budget = { maxSteps: 100, maxSize: 200 }
    expect(compileExpression('len(upper(text))').evaluate({ text }, budget)).toBe(40)
    expect(errorOf(() => compileExpression('len(upper(concat(text, text, text)))').evaluate({ text }, budget)).code).toBe('expression_budget')
  })
})

describe('createEngine({ expressionBudget })', () => {
  const summing = syncFlow('sum', [{ key: 'total', type: 'calculation', config: { expression: 'sum($context.body.values)' } }, answer('{{$jobsMapByNodeKey.total}}')])
  const values = Array.from({ length: 500 }, () => 1)

  it('sets the budget for every calculation node of that engine, and another engine keeps the default', async () => {
    const small = setup([summing], { engine: { expressionBudget: { maxSteps: 100 } } })
    const { execution } = await callFlow(small.engine, small.trigger, 'sum', { values })
    expect(jobOf(execution, 'total').error).toMatchObject({ code: 'expression_budget' })
    const other = setup([summing])
    expect((await callFlow(other.engine, other.trigger, 'sum', { values })).body).toBe(500)
  })

  it('raises the budget too: maxSize above the default lets a larger evaluation through', async () => {
    const expression = repeated('len(string($context.body))')
    const flow = syncFlow('big', [{ key: 'n', type: 'calculation', config: { expression } }, answer('{{$jobsMapByNodeKey.n}}')])
    const body = { text: 'y'.repeat(200_000) }
    const strict = setup([flow])
    expect(jobOf((await callFlow(strict.engine, strict.trigger, 'big', body)).execution, 'n').error).toMatchObject({ code: 'expression_budget' })
    const generous = setup([flow], { engine: { expressionBudget: { maxSize: 64 * 1_048_576 } } })
    const { body: total } = await callFlow(generous.engine, generous.trigger, 'big', body)
    expect(total).toBe(expression.split(' + ').length * JSON.stringify(body).length)
  })

  it('refuses a budget that is not a whole number of at least 1, naming the option', () => {
    expect(() => createEngine({ expressionBudget: { maxSteps: 0 } })).toThrow(/expressionBudget\.maxSteps must be a whole number of at least 1/)
    expect(() => createEngine({ expressionBudget: { maxSize: 1.5 } })).toThrow(/expressionBudget\.maxSize/)
  })
})
