import { describe, expect, it } from 'vitest'
import { timingSafeEqual, timingSafeEqualText } from '../../src/core/timing-safe-equal.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('constant-time comparison', () => {
  it.each([
    ['Basic d2ViaG9vazpzZWNyZXQ=', 'Basic d2ViaG9vazpzZWNyZXQ=', true],
    ['Basic d2ViaG9vazpzZWNyZXQ=', 'Basic d2ViaG9vazpzZWNyZXQ', false],
    ['Basic d2ViaG9vazpzZWNyZXQ=', 'Basic d2ViaG9vazpzZWNyZXQ==', false],
    ['Basic d2ViaG9vazpzZWNyZXQ=', 'basic d2ViaG9vazpzZWNyZXQ=', false],
    ['Basic d2ViaG9vazpzZWNyZXQ=', '', false],
    ['', '', true],
    ['', 'x', false],
    ['über', 'uber', false],
  ])('%j against %j: %s, as text and as bytes', (expected, given, same) => {
    expect(timingSafeEqualText(expected, given)).toBe(same)
    expect(timingSafeEqual(bytes(expected), bytes(given))).toBe(same)
  })

  it('does not take a longer given value that starts with the expected one', () => {
    expect(timingSafeEqualText('abc', 'abcabc')).toBe(false)
    expect(timingSafeEqualText('abcabc', 'abc')).toBe(false)
  })
})
