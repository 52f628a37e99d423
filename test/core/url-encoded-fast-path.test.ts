import fc from 'fast-check'
import qs from 'qs'
import { describe, expect, it } from 'vitest'
import { parseUrlEncoded } from '../../src/core/url-encoded.js'

// Plain query strings skip qs; whatever path a string takes, the result must be what qs builds
// with the same limits (or the same refusal).

const QS_OPTIONS = { depth: 5, arrayLimit: 20, parameterLimit: 100, throwOnLimitExceeded: true, allowPrototypes: false }
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])
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
