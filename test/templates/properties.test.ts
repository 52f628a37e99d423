import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { formatPath, getPath, isForbiddenSegment, parsePath } from '../../src/engine/templates/path.js'
import type { PathSegment } from '../../src/engine/templates/path.js'
import { compileTemplate } from '../../src/engine/templates/compile-template.js'
import { inferBodyPaths, inferQueryPaths } from '../../src/core/infer-paths.js'

const forbidden = fc.constantFrom('__proto__', 'constructor', 'prototype')
// Arbitrary keys, with the dangerous and the inherited ones mixed in often enough to be tried.
const anyKey = fc.oneof(fc.string(), forbidden, fc.constantFrom('toString', 'length', '0', 'hasOwnProperty'))
const anySegment: fc.Arbitrary<PathSegment> = fc.oneof(anyKey, fc.integer(), fc.double())
const safeSegment: fc.Arbitrary<PathSegment> = fc.oneof(
  fc.string().filter((key) => !isForbiddenSegment(key)),
  fc.nat(),
)

// JSON values whose objects use any keys; Object.fromEntries makes `__proto__` an own key, as
// JSON.parse does with a request body.
const jsonWithAnyKeys: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
})).value
const anyJson = fc.oneof(fc.jsonValue(), jsonWithAnyKeys)

// A template ends at the first `}}`, so a key holding braces pairs cannot be written in one.
const templateSegment = safeSegment.filter((key) => typeof key !== 'string' || !(key.includes('}}') || key.includes('{{')))

// `$context.a[0]["x y"]`, alone or inside other text.
const validTemplate = fc
  .tuple(fc.constantFrom('$context', '$jobsMapByNodeKey', '$scopes'), fc.array(templateSegment, { maxLength: 4 }), fc.boolean())
  .map(([root, segments, whole]) => {
    const path = formatPath([root, ...segments])
    return whole ? `{{${path}}}` : `at {{ ${path} }}!`
  })

describe('getPath properties', () => {
  it('never throws on arbitrary JSON and arbitrary segments', () => {
    fc.assert(
      fc.property(anyJson, fc.array(anySegment), (value, segments) => {
        expect(() => getPath(value, segments)).not.toThrow()
      }),
    )
  })

  it('never reads through a __proto__ segment, even an own one', () => {
    fc.assert(
      fc.property(anyJson, fc.array(anySegment), (inner, after) => {
        const value = { wrapper: Object.fromEntries([['__proto__', inner]]) }
        expect(getPath(value, ['wrapper', '__proto__', ...after])).toBeUndefined()
      }),
    )
  })

  it('reads an own constructor or prototype key as data, and finds none where it is not own', () => {
    fc.assert(
      fc.property(anyJson, fc.constantFrom('constructor', 'prototype'), (inner, key) => {
        expect(getPath({ wrapper: Object.fromEntries([[key, inner]]) }, ['wrapper', key])).toBe(inner)
        expect(getPath({ wrapper: {} }, ['wrapper', key])).toBeUndefined()
      }),
    )
  })

  it('does not read __proto__ from an empty object', () => {
    expect(getPath({}, ['__proto__'])).toBeUndefined()
  })

  it('does not read an own __proto__ key made by JSON.parse', () => {
    expect(getPath(JSON.parse('{"__proto__":{"x":1}}'), ['__proto__', 'x'])).toBeUndefined()
  })
})

describe('formatPath properties', () => {
  it('formats what parsePath reads back for segments without forbidden keys', () => {
    fc.assert(
      fc.property(fc.array(safeSegment, { minLength: 1 }), (segments) => {
        expect(parsePath(formatPath(segments))).toEqual(segments)
      }),
    )
  })
})

describe('compileTemplate properties', () => {
  it('compiles valid templates in keys and values without problems', () => {
    fc.assert(
      fc.property(validTemplate, (template) => {
        expect(compileTemplate({ [template]: template }).problems).toEqual([])
      }),
    )
  })

  it('renders valid templates against arbitrary JSON scopes without throwing', () => {
    fc.assert(
      fc.property(validTemplate, anyJson, anyJson, (template, context, jobs) => {
        const compiled = compileTemplate({ [template]: [template] })
        expect(() => compiled.render({ $context: context, $jobsMapByNodeKey: jobs, $scopes: context })).not.toThrow()
      }),
    )
  })

  it('never mutates Object.prototype or a rendered prototype, whatever a key renders to', () => {
    const before = Object.getOwnPropertyNames(Object.prototype)
    const template = compileTemplate({
      '{{$context.key}}': { polluted: true },
      nested: { '{{$context.key}}': '{{$context.value}}', 'x{{$context.key}}': 1 },
    })
    fc.assert(
      fc.property(fc.oneof(forbidden, fc.string()), anyJson, (key, value) => {
        const rendered = template.render({ $context: { key, value } }) as { nested: object }
        expect([
          Object.getOwnPropertyNames(Object.prototype),
          Object.getPrototypeOf(rendered),
          Object.getPrototypeOf(rendered.nested),
          'polluted' in rendered,
        ]).toEqual([before, Object.prototype, Object.prototype, false])
      }),
    )
  })
})

describe('inferBodyPaths properties', () => {
  // A string sample is JSON text to parse; these properties are about parsed values.
  const sample = anyJson.filter((value) => typeof value !== 'string')

  it('lists only paths that getPath can read', () => {
    fc.assert(
      fc.property(sample, (value) => {
        for (const path of inferBodyPaths(value)) expect(getPath(value, parsePath(path))).not.toBeUndefined()
      }),
    )
  })

  it('lists paths that format back to themselves', () => {
    fc.assert(
      fc.property(sample, (value) => {
        for (const path of inferBodyPaths(value)) expect(formatPath(parsePath(path))).toBe(path)
      }),
    )
  })
})

describe('inferQueryPaths properties', () => {
  const queryish = fc.string({ unit: fc.constantFrom('a', 'b', '0', '[', ']', '=', '&', '?', '#', '%', '.', '/', ':') })

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), queryish), (input) => {
        expect(() => inferQueryPaths(input)).not.toThrow()
      }),
    )
  })
})
