import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compileExpression, ExpressionError } from '../../src/index.js'

// Results stay JSON: no NaN, no Infinity, nothing but JSON types.
function isFiniteJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(isFiniteJson)
  if (typeof value === 'object') return Object.values(value as object).every(isFiniteJson)
  return false
}

const run = (source: string, variables: Record<string, unknown> = {}): unknown => compileExpression(source).evaluate(variables)

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError)
    return error as ExpressionError
  }
  throw new Error('expected an ExpressionError')
}

describe('expression language: values and operators', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['2 * 3 + 1', 7],
    ['1 + 2 * 3 ** 2', 19],
    ['1 < 2 == 2 > 1', true],
    ['1 + 1 > 1 && 0 || 4', 4],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['7 % 4', 3],
    ['1.5e2 / 3', 50],
    ['.5 + .25', 0.75],
    ["'a' + 1", 'a1'],
    ["'it\\'s' + \" fine\"", "it's fine"],
    ['"line\\nbreak"', 'line\nbreak'],
    ["'1000' * 2", 2000],
    ['3 > 2 && 2 > 1', true],
    ['0 || "fallback"', 'fallback'],
    ['null ?? 5', 5],
    ['0 ?? 5', 0],
    ['!true', false],
    ['1 == "1"', true],
    ['1 === "1"', false],
    ['null > 1', false],
    ['true ? "yes" : "no"', 'yes'],
    ['false ? 1 : false ? 2 : 3', 3],
    ['[1, 2, 3][2]', 3],
    ['[]', []],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected)
  })

  it('reads variables through member and index access', () => {
    const variables = { $context: { body: { items: [{ sku: 'A', 'unit-price': 2 }] } }, key: 'unit-price' }
    expect(run('$context.body.items[0].sku', variables)).toBe('A')
    expect(run('$context.body.items[0][key] * 3', variables)).toBe(6)
  })

  it('gives null for a missing path, like a template', () => {
    expect(run('a.b.c', { a: {} })).toBeNull()
  })

  it('reads an object variable and counts its keys', () => {
    expect(run('len(x)', { x: { a: 1, b: 2 } })).toBe(2)
  })

  it('lists the variable names an expression reads', () => {
    expect(compileExpression('round(price * qty, 2) + $context.body.fee').names).toEqual(['$context', 'price', 'qty'])
  })
})

describe('expression language: functions', () => {
  it.each([
    ['abs(-3)', 3],
    ['round(1.005, 2)', 1.01],
    ['round(2.5)', 3],
    ['floor(2.7) + ceil(2.1)', 5],
    ['min(3, 1, 2) + max([4, 9])', 10],
    ['sum([1, 2, 3]) + avg(2, 4)', 9],
    ['sqrt(16)', 4],
    ["len('abc') + len([1, 2])", 5],
    ["upper('a') + lower('B') + trim('  c ')", 'Abc'],
    ["concat('order-', 7, null, true)", 'order-7true'],
    ["substring('webhook', 3)", 'hook'],
    ["substring('webhook', 0, 3)", 'web'],
    ["replace('a.b.c', '.', '-')", 'a-b-c'],
    ["split('a,b', ',')", ['a', 'b']],
    ["join(['a', 1, null], '|')", 'a|1|'],
    ["includes('hello', 'ell') && includes([1, 2], '2')", true],
    ["startsWith('order-1', 'order') && endsWith('x.json', '.json')", true],
    ["number('12.5') + 1", 13.5],
    ['string(12) + string([1])', '12[1]'],
    ["boolean('false') || boolean(0)", false],
    ["dateAdd('2024-01-31T00:00:00Z', 1, 'months')", '2024-02-29T00:00:00.000Z'],
    ["dateAdd('2024-02-29T00:00:00Z', 1, 'years')", '2025-02-28T00:00:00.000Z'],
    ["dateAdd(0, 90, 'minutes')", '1970-01-01T01:30:00.000Z'],
    ["dateDiff('2024-01-01T00:00:00Z', '2024-01-03T12:00:00Z', 'days')", 2.5],
    ["dateDiff('2024-01-31', '2024-02-28', 'months')", 0],
    ["dateDiff('2024-01-31', '2024-02-29', 'months')", 1],
    ["dateDiff('2020-03-01', '2024-02-29', 'years')", 3],
    ["formatDate('2024-03-05T07:08:09.010Z', 'YYYY/MM/DD HH:mm:ss.SSS')", '2024/03/05 07:08:09.010'],
    ["toISO(86400000)", '1970-01-02T00:00:00.000Z'],
    ["timestamp('1970-01-01T00:00:01Z')", 1000],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected)
  })

  it('now() is the current time as ISO text', () => {
    const before = Date.now()
    const now = Date.parse(run('now()') as string)
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })
})

describe('expression language: errors and hostile input', () => {
  it.each([
    ['x.__proto__', 'expression_syntax'],
    ['x["__proto__"]', 'expression_syntax'],
    ['x.toString(1)', 'expression_syntax'],
    ['eval("1")', 'expression_syntax'],
    ['Function("return 1")', 'expression_syntax'],
    ['(1)(2)', 'expression_syntax'],
    ['process.exit()', 'expression_syntax'],
    ['this', 'expression_evaluation'],
    ['globalThis.process', 'expression_evaluation'],
    ['1 +', 'expression_syntax'],
    ['"unclosed', 'expression_syntax'],
    ['a = 1', 'expression_syntax'],
    ['`template`', 'expression_syntax'],
    ['x => x', 'expression_syntax'],
    ['12abc', 'expression_syntax'],
  ])('refuses %s with %s', (source, code) => {
    expect(errorOf(() => run(source, { x: {} })).code).toBe(code)
  })

  it('refuses a computed key that reaches a prototype', () => {
    expect(errorOf(() => run('x[k]', { x: {}, k: '__proto__' })).message).toContain('not allowed')
    expect(errorOf(() => run('x[concat("__pro", "to__")]', { x: {} })).message).toContain('not allowed')
  })

  it("reads an own constructor or prototype key as the sender's data, and finds none on a plain object", () => {
    expect(run('x.constructor', { x: { constructor: 'Red Bull' } })).toBe('Red Bull')
    expect(run('x["prototype"].v', { x: { prototype: { v: 2 } } })).toBe(2)
    expect(run('x.constructor', { x: {} })).toBeNull()
    expect(run('x[k]', { x: [], k: 'constructor' })).toBeNull()
  })

  it('does not read inherited properties', () => {
    expect(run('x.toString', { x: {} })).toBeNull()
    expect(run('x.hasOwnProperty', { x: {} })).toBeNull()
  })

  it('refuses division by zero and other non-finite results', () => {
    expect(errorOf(() => run('1 / 0')).code).toBe('expression_evaluation')
    expect(errorOf(() => run('10 ** 400')).code).toBe('expression_evaluation')
    expect(errorOf(() => run('sqrt(-1)')).code).toBe('expression_evaluation')
  })

  it('names the wrong kind of value', () => {
    expect(errorOf(() => run('x * 2', { x: { a: 1 } })).message).toContain('expects a number, got an object')
    expect(errorOf(() => run("round(1, 2, 3)")).message).toContain('round takes 1 to 2 arguments, got 3')
    expect(errorOf(() => run("dateAdd('soon', 1, 'days')")).message).toContain('expects a date')
    expect(errorOf(() => run("dateAdd(0, 1, 'fortnights')")).message).toContain('unknown unit')
  })

  it('bounds length, tokens and nesting depth', () => {
    expect(errorOf(() => compileExpression('1+'.repeat(3000) + '1')).code).toBe('expression_limit')
    expect(errorOf(() => compileExpression('1+'.repeat(600) + '1')).code).toBe('expression_limit')
    expect(errorOf(() => compileExpression('('.repeat(100) + '1' + ')'.repeat(100))).code).toBe('expression_limit')
    expect(errorOf(() => compileExpression('!'.repeat(100) + 'true')).code).toBe('expression_limit')
  })

  it('bounds the size of strings it builds', () => {
    const big = 'x'.repeat(600_000)
    expect(errorOf(() => run('s + s', { s: big })).code).toBe('expression_limit')
    expect(errorOf(() => run('concat(s, s)', { s: big })).code).toBe('expression_limit')
    expect(errorOf(() => run("replace(s, '', s)", { s: 'x'.repeat(2000) })).code).toBe('expression_limit')
    expect(errorOf(() => run('join(list, s)', { list: new Array(5000).fill('a'), s: 'x'.repeat(1000) })).code).toBe('expression_limit')
    expect(errorOf(() => run("split(s, '')", { s: 'x'.repeat(200_000) })).code).toBe('expression_limit')
  })

  it('never throws anything but ExpressionError, whatever the source', () => {
    const alphabet = fc.constantFrom(...'abcxyz_$01239.,()[]{}\'"`\\+-*/%!?:<>=&|^~ \n'.split(''), 'true', 'null', '__proto__', 'constructor', 'round(', 'len(', 'dateAdd(', 'x.', '$context.')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')), (source) => {
        try {
          const expression = compileExpression(source)
          expression.evaluate({ x: { a: [1, 'two', null] }, $context: { body: { n: 3 } } })
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws anything but ExpressionError, whatever the values', () => {
    const sources = ['a + b', 'a * b', 'round(a, b)', 'len(a)', 'dateAdd(a, b, "days")', 'dateDiff(a, b, "months")', 'a[b]', 'join(a, b)', 'split(a, b)', 'formatDate(a, b)', 'substring(a, b)', 'sum(a)', 'min(a, b)', 'replace(a, b, a)', 'a ?? b', 'a == b', 'a < b', '-a', 'number(a)']
    const compiled = sources.map((source) => compileExpression(source))
    fc.assert(
      fc.property(fc.constantFrom(...compiled), fc.jsonValue(), fc.jsonValue(), (expression, a, b) => {
        try {
          const value = expression.evaluate({ a, b })
          expect(isFiniteJson(value)).toBe(true)
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error
        }
      }),
      { numRuns: 3000 },
    )
  })
})
