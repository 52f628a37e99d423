import { describe, it, expect } from 'vitest'
import { didYouMean, editDistance } from '../../src/engine/did-you-mean.js'

describe('didYouMean', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    expect(editDistance('conditon', 'condition')).toBe(1)
    expect(editDistance('cnodition', 'condition')).toBe(1)
  })

  it('finds a name that differs only in case', () => {
    expect(didYouMean('ignorefail', ['ignoreFail', 'onlyData'])).toBe('ignoreFail')
  })

  it('finds a name the given one starts', () => {
    expect(didYouMean('status', ['headers', 'statusCode', 'body'])).toBe('statusCode')
  })

  it('prefers a near miss to a longer name that merely starts the same', () => {
    expect(didYouMean('bodi', ['body', 'bodies'])).toBe('body')
  })

  it('suggests nothing when no name is close', () => {
    expect(didYouMean('colour', ['key', 'type', 'config'])).toBeUndefined()
    expect(didYouMean('greaterThan', ['gt', 'gte', 'lt'])).toBeUndefined()
  })
})
