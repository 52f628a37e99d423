/**
 * @module
 * Splits expression source into tokens: numbers, strings ('…' or "…" with JSON escapes),
 * identifiers (`$context`, `round`), and punctuators. Everything else is a syntax error.
 */
import { ExpressionError, syntaxError } from './expression-error.js'

export type Token =
  | { kind: 'number'; value: number; index: number }
  | { kind: 'string'; value: string; index: number }
  | { kind: 'name'; value: string; index: number }
  | { kind: 'punct'; value: string; index: number }
  | { kind: 'end'; value: ''; index: number }

// Longest first, so `**` wins over `*` and `===` over `==`.
const PUNCTUATORS = ['===', '!==', '**', '==', '!=', '<=', '>=', '&&', '||', '??', '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '(', ')', '[', ']', '.', ',']

const NAME_START = /[A-Za-z_$]/
const NAME_PART = /[A-Za-z0-9_$]/
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/

export function tokenize(source: string, maxTokens: number): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < source.length) {
    const char = source[index] as string
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++
      continue
    }
    if (tokens.length >= maxTokens) {
      throw new ExpressionError('expression_limit', `expression has more than ${maxTokens} tokens`)
    }
    if ((char >= '0' && char <= '9') || (char === '.' && /\d/.test(source[index + 1] ?? ''))) {
      const match = NUMBER.exec(source.slice(index, index + 400)) as RegExpExecArray
      tokens.push({ kind: 'number', value: Number(match[0]), index })
      index += match[0].length
      if (NAME_PART.test(source[index] ?? '')) throw syntaxError('a number runs into a name', index)
    } else if (char === '"' || char === "'") {
      const end = readString(source, index)
      tokens.push({ kind: 'string', value: decodeString(source.slice(index, end + 1), index), index })
      index = end + 1
    } else if (NAME_START.test(char)) {
      let end = index + 1
      while (end < source.length && NAME_PART.test(source[end] as string)) end++
      tokens.push({ kind: 'name', value: source.slice(index, end), index })
      index = end
    } else {
      const punct = PUNCTUATORS.find((p) => source.startsWith(p, index))
      if (!punct) throw syntaxError(`unexpected character ${JSON.stringify(char)}`, index)
      tokens.push({ kind: 'punct', value: punct, index })
      index += punct.length
    }
  }
  tokens.push({ kind: 'end', value: '', index: source.length })
  return tokens
}

// Index of the closing quote of the string that opens at `start`.
function readString(source: string, start: number): number {
  const quote = source[start]
  for (let index = start + 1; index < source.length; index++) {
    const char = source[index]
    if (char === '\\') index++
    else if (char === quote) return index
    else if (char === '\n') break
  }
  throw syntaxError('unclosed string', start)
}

// Single-quoted strings are read as JSON once their quotes and escapes are made JSON's.
function decodeString(literal: string, index: number): string {
  let json = literal
  if (literal[0] === "'") {
    json = '"' + literal.slice(1, -1).replace(/\\'|"/g, (m) => (m === '"' ? '\\"' : "'")) + '"'
  }
  try {
    return JSON.parse(json) as string
  } catch {
    throw syntaxError('invalid escape in string', index)
  }
}
