/**
 * @module
 * A Pratt parser for the expression language. Precedence, loosest first: `?:`, `??`, `||`,
 * `&&`, equality, comparison, `+ -`, `* / %`, unary `! - +`, `**` (right-associative, so
 * `-2 ** 2` is `-(2 ** 2)`), then member access `a.b`, `a[0]` and calls `round(x)`.
 * Bounded: source length, token count and nesting depth.
 */
import type { BinaryOperator, Expr } from './ast.js'
import { ExpressionError, syntaxError } from './expression-error.js'
import { tokenize, type Token } from './tokenize.js'
import { isForbiddenSegment } from '../../engine/templates/path.js'

/** @inline */
export interface ParseLimits {
  maxLength: number
  maxTokens: number
  maxDepth: number
}

// Binding powers of infix operators; higher binds tighter.
const INFIX: Readonly<Record<string, number>> = {
  '??': 3, '||': 4, '&&': 5,
  '==': 6, '!=': 6, '===': 6, '!==': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7,
  '+': 8, '-': 8, '*': 9, '/': 9, '%': 9,
  '**': 11,
}
const TERNARY = 2
const UNARY = 10
const POSTFIX = 12

const LITERALS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null }

class Parser {
  #position = 0
  #depth = 0

  constructor(
    private readonly tokens: Token[],
    private readonly maxDepth: number,
  ) {}

  parse(): Expr {
    const expr = this.expression(0)
    const next = this.peek()
    if (next.kind !== 'end') throw syntaxError(`unexpected ${describe(next)}`, next.index)
    return expr
  }

  expression(minPower: number): Expr {
    if (++this.#depth > this.maxDepth) {
      throw new ExpressionError('expression_limit', `expression nested deeper than ${this.maxDepth}`, this.peek().index)
    }
    let left = this.prefix()
    for (;;) {
      const token = this.peek()
      if (token.kind !== 'punct') break
      const op = token.value
      if (op === '?' && TERNARY >= minPower) {
        this.#position++
        const consequent = this.expression(0)
        this.expect(':')
        // Right-associative: `a ? b : c ? d : e`.
        const alternate = this.expression(TERNARY)
        left = { type: 'conditional', test: left, consequent, alternate }
        continue
      }
      if ((op === '.' || op === '[' || op === '(') && POSTFIX >= minPower) {
        left = this.postfix(left, token)
        continue
      }
      const power = INFIX[op]
      if (power === undefined || power < minPower) break
      this.#position++
      // `**` is right-associative: its right side may hold another `**`.
      const right = this.expression(op === '**' ? power : power + 1)
      left =
        op === '&&' || op === '||' || op === '??'
          ? { type: 'logical', op, left, right }
          : { type: 'binary', op: op as BinaryOperator, left, right, index: token.index }
    }
    this.#depth--
    return left
  }

  prefix(): Expr {
    const token = this.next()
    switch (token.kind) {
      case 'number':
      case 'string':
        return { type: 'literal', value: token.value }
      case 'name':
        if (Object.hasOwn(LITERALS, token.value)) return { type: 'literal', value: LITERALS[token.value] as boolean | null }
        if (this.peek().kind === 'punct' && this.peek().value === '(') {
          this.#position++
          return { type: 'call', name: token.value, args: this.list(')'), index: token.index }
        }
        return { type: 'name', name: token.value, index: token.index }
      case 'punct':
        if (token.value === '(') {
          const inner = this.expression(0)
          this.expect(')')
          return inner
        }
        if (token.value === '[') return { type: 'array', items: this.list(']') }
        if (token.value === '!' || token.value === '-' || token.value === '+') {
          return { type: 'unary', op: token.value, operand: this.expression(UNARY), index: token.index }
        }
        throw syntaxError(`unexpected ${describe(token)}`, token.index)
      default:
        throw syntaxError('unexpected end of expression', token.index)
    }
  }

  postfix(object: Expr, token: Token): Expr {
    this.#position++
    if (token.value === '.') {
      const name = this.next()
      if (name.kind !== 'name') throw syntaxError(`expected a property name after '.', found ${describe(name)}`, name.index)
      if (isForbiddenSegment(name.value)) throw syntaxError(`property "${name.value}" is not allowed`, name.index)
      return { type: 'member', object, property: name.value, index: name.index }
    }
    if (token.value === '[') {
      const key = this.expression(0)
      this.expect(']')
      if (key.type === 'literal' && typeof key.value === 'string' && isForbiddenSegment(key.value)) {
        throw syntaxError(`property "${key.value}" is not allowed`, token.index)
      }
      return { type: 'index', object, key, index: token.index }
    }
    // Only named functions can be called: a value is never callable.
    throw syntaxError('only functions can be called, by name (e.g. round(x))', token.index)
  }

  list(close: ')' | ']'): Expr[] {
    const items: Expr[] = []
    if (this.accept(close)) return items
    for (;;) {
      items.push(this.expression(0))
      if (this.accept(close)) return items
      this.expect(',')
    }
  }

  peek(): Token {
    return this.tokens[this.#position] as Token
  }

  next(): Token {
    const token = this.peek()
    if (token.kind !== 'end') this.#position++
    return token
  }

  accept(value: string): boolean {
    const token = this.peek()
    if (token.kind === 'punct' && token.value === value) {
      this.#position++
      return true
    }
    return false
  }

  expect(value: string): void {
    const token = this.peek()
    if (!this.accept(value)) throw syntaxError(`expected '${value}', found ${describe(token)}`, token.index)
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of expression'
  if (token.kind === 'string') return 'a string'
  return `"${token.value}"`
}

/** Parses `source` into a tree; throws ExpressionError only. */
export function parseExpression(source: string, limits: ParseLimits): Expr {
  if (source.length > limits.maxLength) {
    throw new ExpressionError('expression_limit', `expression is longer than ${limits.maxLength} characters`)
  }
  return new Parser(tokenize(source, limits.maxTokens), limits.maxDepth).parse()
}
