/**
 * @module
 * Walks an expression tree against a set of named values. Reads go through `getPath` (own
 * properties only, so `{}` has no `constructor`; never `__proto__`); calls only reach the
 * whitelist; comparisons reuse the condition node's calculators.
 */
import type { Expr } from './ast.js'
import { evaluationError } from './expression-error.js'
import { callFunction } from './functions.js'
import { checkedArray, checkedString, finite, toNumber, toText, truthy } from './values.js'
import { calculators } from '../calculators.js'
import { getPath, isForbiddenSegment } from '../../engine/templates/path.js'
import type { Meter } from './budget.js'

/** @inline */
export type Variables = Readonly<Record<string, unknown>>

function lookup(variables: Variables, name: string): unknown {
  if (!Object.hasOwn(variables, name)) throw evaluationError(`unknown variable "${name}"`)
  return variables[name]
}

function readKey(object: unknown, key: unknown): unknown {
  if (typeof key === 'number' && Number.isInteger(key) && key >= 0) return getPath(object, [key])
  if (typeof key !== 'string') throw evaluationError('a [key] must be a string or a whole number')
  if (isForbiddenSegment(key)) throw evaluationError(`property "${key}" is not allowed`)
  return getPath(object, [key])
}

const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number>> = {
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
}

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': 'equal', '!=': 'notEqual', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte',
}

function binary(op: string, left: unknown, right: unknown, meter: Meter): unknown {
  // Text compared, converted or joined is read once.
  meter.read(left)
  meter.read(right)
  if (op === '+') {
    if (typeof left === 'string' || typeof right === 'string') {
      const text = checkedString(toText(left) + toText(right))
      meter.built(text)
      return text
    }
    return finite(toNumber(left, "'+'") + toNumber(right, "'+'"), "'+'")
  }
  const arithmetic = ARITHMETIC[op]
  if (arithmetic) return finite(arithmetic(toNumber(left, `'${op}'`), toNumber(right, `'${op}'`)), `'${op}'`)
  if (op === '===') return left === right
  if (op === '!==') return left !== right
  const calculator = calculators[COMPARISONS[op] as keyof typeof calculators] as (typeof calculators)[keyof typeof calculators] | undefined
  if (!calculator) throw evaluationError(`unknown operator ${op}`)
  return calculator(left, right)
}

/** The value of `expr`; every part evaluated is a step on `meter`, past its budget a throw. */
export function evaluate(expr: Expr, variables: Variables, meter: Meter): unknown {
  meter.step()
  switch (expr.type) {
    case 'literal':
      return expr.value
    case 'name':
      return lookup(variables, expr.name)
    case 'member':
      return getPath(evaluate(expr.object, variables, meter), [expr.property])
    case 'index':
      return readKey(evaluate(expr.object, variables, meter), evaluate(expr.key, variables, meter))
    case 'call':
      return callFunction(expr.name, expr.args.map((arg) => evaluate(arg, variables, meter)), meter)
    case 'array': {
      const items = checkedArray(expr.items.map((item) => evaluate(item, variables, meter)))
      meter.built(items)
      return items
    }
    case 'unary': {
      const operand = evaluate(expr.operand, variables, meter)
      if (expr.op === '!') return !truthy(operand)
      meter.read(operand)
      const number = toNumber(operand, `unary '${expr.op}'`)
      return expr.op === '-' ? -number : number
    }
    case 'binary':
      return binary(expr.op, evaluate(expr.left, variables, meter), evaluate(expr.right, variables, meter), meter)
    case 'logical': {
      const left = evaluate(expr.left, variables, meter)
      if (expr.op === '&&') return truthy(left) ? evaluate(expr.right, variables, meter) : left
      if (expr.op === '||') return truthy(left) ? left : evaluate(expr.right, variables, meter)
      return left === null || left === undefined ? evaluate(expr.right, variables, meter) : left
    }
    case 'conditional':
      return evaluate(truthy(evaluate(expr.test, variables, meter)) ? expr.consequent : expr.alternate, variables, meter)
  }
}
