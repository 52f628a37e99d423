import fc from 'fast-check'
import qs from 'qs'
import { describe, expect, it } from 'vitest'
import { parseUrlEncoded } from '../../src/core/url-encoded.js'

// Plain query strings skip qs; whatever path a string takes, the result must be what qs builds
// with the same limits (or the same refusal).

const QS_OPTIONS = { depth: 5, arrayLimit: 20, parameterLimit: 100, throwOnLimitExceeded: true, allowPrototypes: true }
const FORBIDDEN = new Set(['__proto__'])
const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/)
const value = fc.stringMatching(/^[A-Za-z0-9_.~-]{0,8}$/)
const pairs = fc.array(fc.tuple(fc.oneof(name, fc.constantFrom('a', 'toString', 'constructor', 'prototype', '__proto__', 'hasOwnProperty')), value), { maxLength: 120 })

describe('plain query strings', () => {
  it('parse to exactly what qs builds, and are refused only where qs or the forbidden-key rule refuses', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const text = list.map(([k, v]) => `${k}=${v}`).join('&')
        let parsed: unknown
        try {
          parsed = parseUrlEncoded(text, 'query')
        } catch {
          const forbidden = list.some(([k]) => FORBIDDEN.has(k))
          if (!forbidden) expect(() => qs.parse(text, QS_OPTIONS)).toThrow()
          return
        }
        expect(parsed).toEqual(qs.parse(text, QS_OPTIONS))
      }),
      { numRuns: 500 },
    )
  })
})

describe('any short query string', () => {
  // Characters the fast path must either read exactly as qs does or leave to qs.
  const char = fc.constantFrom('a', 'b', 'Z', '0', '_', '-', '.', '~', '=', '&', '%', '2', '[', ']', '+', ' ', 'é', '\u0000')
  const chars = (max: number) => fc.array(char, { maxLength: max }).map((list) => list.join(''))
  // Mostly name=value pairs (so the fast path is taken often), with any character inside.
  const pair = fc.oneof(fc.tuple(chars(4), chars(4)).map(([k, v]) => `${k}=${v}`), chars(6))
  const text = fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.join('&'))

  it('parse to what qs builds, whichever path they take', () => {
    fc.assert(
      fc.property(text, (query) => {
        let parsed: unknown
        try {
          parsed = parseUrlEncoded(query, 'query')
        } catch {
          // Refused: a limit qs also enforces, or a forbidden key (none can be spelled here).
          expect(() => qs.parse(query, QS_OPTIONS)).toThrow()
          return
        }
        expect(parsed).toEqual(qs.parse(query, QS_OPTIONS))
      }),
      { numRuns: 3000 },
    )
  })

  it('are read past the parameter limit only by qs, which refuses them', () => {
    const many = Array.from({ length: 101 }, (_, i) => `p${i}=${i}`).join('&')
    expect(() => parseUrlEncoded(many, 'query')).toThrow(/more than 100 parameters/)
    const hundred = Array.from({ length: 100 }, (_, i) => `p${i}=${i}`).join('&')
    expect(Object.keys(parseUrlEncoded(hundred, 'query'))).toHaveLength(100)
  })
})
