import { describe, it, expect } from 'vitest'
import { inferBodyPaths, inferQueryPaths } from '../../src/core/infer-paths.js'

describe('inferBodyPaths', () => {
  it('lists the DESIGN.md body example parents first', () => {
    expect(inferBodyPaths({ a: 1, b: { c: 2 } })).toEqual(['a', 'b', 'b.c'])
  })

  it('lists every array index', () => {
    expect(inferBodyPaths({ items: [{ sku: 'x' }] })).toEqual(['items', 'items[0]', 'items[0].sku'])
  })

  it('keeps document order across siblings and their children', () => {
    expect(inferBodyPaths({ z: { y: 1 }, a: [1, 2] })).toEqual(['z', 'z.y', 'a', 'a[0]', 'a[1]'])
  })

  it('quotes keys that are not simple', () => {
    expect(inferBodyPaths({ 'x.y': { 'a b': 1 } })).toEqual(['["x.y"]', '["x.y"]["a b"]'])
  })

  it('lists a top-level array by index', () => {
    expect(inferBodyPaths([{ a: 1 }])).toEqual(['[0]', '[0].a'])
  })

  it('lists null leaves', () => {
    expect(inferBodyPaths({ a: null })).toEqual(['a'])
  })

  it('gives no paths for a number', () => {
    expect(inferBodyPaths(42)).toEqual([])
  })

  it('gives no paths for null', () => {
    expect(inferBodyPaths(null)).toEqual([])
  })

  it('parses a string sample as JSON text', () => {
    expect(inferBodyPaths('{"a":1,"b":{"c":2}}')).toEqual(['a', 'b', 'b.c'])
  })

  it('gives no paths for JSON text holding a string', () => {
    expect(inferBodyPaths('"just text"')).toEqual([])
  })

  it('throws a TypeError for a string that is not JSON', () => {
    expect(() => inferBodyPaths('{not json')).toThrow(TypeError)
  })

  it('skips __proto__ with its subtree', () => {
    expect(inferBodyPaths('{"__proto__":{"x":1},"a":1}')).toEqual(['a'])
  })

  it('lists constructor and prototype keys, which are data', () => {
    expect(inferBodyPaths({ constructor: { a: 1 }, prototype: 2, b: 3 })).toEqual(['constructor', 'constructor.a', 'prototype', 'b'])
  })

  it('stops descending at depth 64', () => {
    let deep: unknown = 'leaf'
    for (let level = 0; level < 100; level++) deep = { a: deep }
    const paths = inferBodyPaths(deep)
    expect([paths.length, paths.at(-1)?.split('.').length]).toEqual([64, 64])
  })

  it('caps the list at 10,000 paths', () => {
    expect(inferBodyPaths({ items: new Array(20_000).fill(0) })).toHaveLength(10_000)
  })
})

describe('inferQueryPaths', () => {
  it('reads the DESIGN.md webhook URL', () => {
    expect(inferQueryPaths('http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query=1')).toEqual(['query'])
  })

  it('lists a nested query as qs nests it', () => {
    expect(inferQueryPaths('http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query[0][a]=1')).toEqual([
      'query',
      'query[0]',
      'query[0].a',
    ])
  })

  it('reads a path with a query', () => {
    expect(inferQueryPaths('/x?a=1&b[c]=2')).toEqual(['a', 'b', 'b.c'])
  })

  it('reads a query string with its question mark', () => {
    expect(inferQueryPaths('?a=1')).toEqual(['a'])
  })

  it('reads a query string without its question mark', () => {
    expect(inferQueryPaths('a=1&b=2')).toEqual(['a', 'b'])
  })

  it('lists repeated empty brackets as an array', () => {
    expect(inferQueryPaths('?a[]=1&a[]=2')).toEqual(['a', 'a[0]', 'a[1]'])
  })

  it('gives no paths for a URL without a query', () => {
    expect(inferQueryPaths('https://example.com/api/webhook:trigger/abc')).toEqual([])
  })

  it('gives no paths for a path without a query', () => {
    expect(inferQueryPaths('/api/webhook:trigger/abc')).toEqual([])
  })

  it('ignores the fragment', () => {
    expect(inferQueryPaths('/x?a=1#b=2')).toEqual(['a'])
  })

  it('finds no query inside a fragment', () => {
    expect(inferQueryPaths('/x#frag?a=1')).toEqual([])
  })

  it('skips __proto__ keys and lists constructor keys', () => {
    expect(inferQueryPaths('?__proto__[x]=1&a[constructor]=2&b=3')).toEqual(['a', 'a.constructor', 'b'])
  })
})
