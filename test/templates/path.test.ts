import { describe, it, expect } from 'vitest'
import { formatPath, getPath, isForbiddenSegment, parsePath, PathSyntaxError } from '../../src/engine/templates/path.js'

describe('parsePath', () => {
  it('splits dotted keys and numeric indexes', () => {
    expect(parsePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c'])
  })

  it('reads the DESIGN.md query path query[0].a', () => {
    expect(parsePath('query[0].a')).toEqual(['query', 0, 'a'])
  })

  it('keeps header names with dashes as one bare segment', () => {
    expect(parsePath('headers.x-request-id')).toEqual(['headers', 'x-request-id'])
  })

  it('keeps a bare digit segment as a string key', () => {
    expect(parsePath('items.0.sku')).toEqual(['items', '0', 'sku'])
  })

  it('reads a double-quoted key that contains a dot', () => {
    expect(parsePath('a["x.y"].z')).toEqual(['a', 'x.y', 'z'])
  })

  it('decodes JSON escapes in a quoted key', () => {
    expect(parsePath('a["q\\"u\\u00f6te"]')).toEqual(['a', 'q"uöte'])
  })

  it('accepts an empty quoted key', () => {
    expect(parsePath('a[""]')).toEqual(['a', ''])
  })

  it('accepts a path that starts with an index', () => {
    expect(parsePath('[0].a')).toEqual([0, 'a'])
  })

  it('accepts consecutive brackets', () => {
    expect(parsePath('m[1]["k k"][2]')).toEqual(['m', 1, 'k k', 2])
  })

  it('refuses an empty path', () => {
    expect(() => parsePath('')).toThrow(PathSyntaxError)
  })

  it('refuses an empty segment and says where it is', () => {
    expect(() => parsePath('a..b')).toThrow('empty segment at index 2 of path "a..b"')
  })

  it('refuses a trailing dot', () => {
    expect(() => parsePath('a.')).toThrow(/empty segment/)
  })

  it('refuses an unclosed bracket', () => {
    expect(() => parsePath('a[0')).toThrow(/unclosed '\['/)
  })

  it('refuses a closing bracket without an opening one', () => {
    expect(() => parsePath('a]')).toThrow(/unbalanced '\]'/)
  })

  it('refuses an unclosed quoted key', () => {
    expect(() => parsePath('a["x')).toThrow(/unclosed string/)
  })

  it('refuses a single-quoted key', () => {
    expect(() => parsePath("a['x']")).toThrow(/double-quoted/)
  })

  it('refuses an invalid JSON escape', () => {
    expect(() => parsePath('a["\\q"]')).toThrow(/invalid JSON string/)
  })

  it('refuses whitespace inside a path', () => {
    expect(() => parsePath('a b')).toThrow(/unexpected " " at index 1/)
  })

  it('refuses text glued after a bracket', () => {
    expect(() => parsePath('a[0]b')).toThrow(/unexpected "b"/)
  })

  it('refuses an index beyond the safe integers', () => {
    expect(() => parsePath('a[99999999999999999999]')).toThrow(/index too large/)
  })

  it('refuses the segment __proto__', () => {
    expect(() => parsePath('a.__proto__.b')).toThrow(PathSyntaxError)
  })

  it.each(['constructor', 'prototype'])('reads the segment %s as a key like any other', (key) => {
    expect(parsePath(`a.${key}.b`)).toEqual(['a', key, 'b'])
  })

  it('refuses a forbidden segment written as a quoted key', () => {
    expect(() => parsePath('a["__proto__"]')).toThrow(/"__proto__" is not allowed/)
  })

  it('names its errors PathSyntaxError and records the index', () => {
    const error = (() => {
      try {
        parsePath('a..b')
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toMatchObject({ name: 'PathSyntaxError', path: 'a..b', index: 2 })
  })
})

describe('getPath', () => {
  it('reads a nested value through objects and arrays', () => {
    expect(getPath({ a: { b: [{ c: 3 }] } }, ['a', 'b', 0, 'c'])).toBe(3)
  })

  it('reads an array item by a digit string', () => {
    expect(getPath({ items: ['x', 'y'] }, ['items', '1'])).toBe('y')
  })

  it('returns undefined for a missing key', () => {
    expect(getPath({ a: 1 }, ['b'])).toBeUndefined()
  })

  it('returns undefined when a primitive is in the way', () => {
    expect(getPath({ a: 'text' }, ['a', 'length'])).toBeUndefined()
  })

  it('returns undefined when null is in the way', () => {
    expect(getPath({ a: null }, ['a', 'b'])).toBeUndefined()
  })

  it('returns the value itself for no segments', () => {
    const value = { a: 1 }
    expect(getPath(value, [])).toBe(value)
  })

  it('does not read inherited properties', () => {
    expect(getPath({}, ['toString'])).toBeUndefined()
  })

  it('does not read an own __proto__ key', () => {
    expect(getPath(JSON.parse('{"__proto__":{"x":1}}'), ['__proto__', 'x'])).toBeUndefined()
  })

  it('reads an own constructor key: the sender\'s value', () => {
    expect(getPath({ constructor: { name: 'Red Bull' } }, ['constructor', 'name'])).toBe('Red Bull')
  })

  it('finds no constructor on an object without that own key, not Object', () => {
    expect(getPath({}, ['constructor'])).toBeUndefined()
    expect(getPath({ a: [] }, ['a', 'constructor'])).toBeUndefined()
    expect(getPath(function named() {}, ['prototype'])).toBeUndefined()
  })

  it('reads a null-prototype object', () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 })
    expect(getPath(value, ['a'])).toBe(1)
  })

  it('reads a frozen object', () => {
    expect(getPath(Object.freeze({ a: Object.freeze([5]) }), ['a', 0])).toBe(5)
  })

  it('returns undefined instead of throwing when a getter throws', () => {
    const value = {
      get a(): never {
        throw new Error('boom')
      },
    }
    expect(getPath(value, ['a'])).toBeUndefined()
  })
})

describe('formatPath', () => {
  it('joins simple keys with dots and writes indexes in brackets', () => {
    expect(formatPath(['a', 'b', 0, 'c'])).toBe('a.b[0].c')
  })

  it('keeps header names bare', () => {
    expect(formatPath(['headers', 'x-request-id'])).toBe('headers.x-request-id')
  })

  it('quotes a key with a dot', () => {
    expect(formatPath(['a', 'x.y', 'z'])).toBe('a["x.y"].z')
  })

  it('escapes a quote inside a key', () => {
    expect(formatPath(['say "hi"'])).toBe('["say \\"hi\\""]')
  })

  it('quotes an empty key', () => {
    expect(formatPath(['a', ''])).toBe('a[""]')
  })

  it('formats no segments as an empty string', () => {
    expect(formatPath([])).toBe('')
  })

  it('refuses a number that is not an array index', () => {
    expect(() => formatPath(['a', -1])).toThrow(RangeError)
  })

  it('round-trips through parsePath', () => {
    const segments = ['a', 0, 'x.y', '', 'b c', 3, 'd']
    expect(parsePath(formatPath(segments))).toEqual(segments)
  })
})

describe('isForbiddenSegment', () => {
  it('flags __proto__ and nothing else', () => {
    expect(['__proto__', 'constructor', 'prototype', 'proto', 0].map(isForbiddenSegment)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ])
  })
})
