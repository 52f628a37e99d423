import { describe, it, expect } from 'vitest'
import { compileTemplate, hasTemplate } from '../../src/engine/templates/compile-template.js'
import type { TemplateScope } from '../../src/engine/templates/compile-template.js'

const scope: TemplateScope = {
  $context: {
    body: { id: 'order-1', amount: 1200, a: { b: 'deep' }, items: [{ sku: 'x' }], note: null },
    headers: { 'x-request-id': 'req-9' },
    query: { q: 'search', 'a.b': 'dotted' },
    params: { id: '42' },
  },
  $jobsMapByNodeKey: { check: { score: 7, passed: true } },
  $scopes: { loop1: { item: { n: 1 } } },
}

function render(value: unknown): unknown {
  const template = compileTemplate(value)
  expect(template.problems).toEqual([])
  return template.render(scope)
}

describe('compileTemplate rendering', () => {
  it('keeps the type of a whole-value template', () => {
    expect(render('{{$context.body.amount}}')).toBe(1200)
  })

  it('keeps an object from a whole-value template', () => {
    expect(render('{{$context.body.a}}')).toEqual({ b: 'deep' })
  })

  it('renders a missing whole-value path as undefined', () => {
    expect(render('{{$context.body.missing}}')).toBeUndefined()
  })

  it('renders the root alone', () => {
    expect(render('{{$context}}')).toBe(scope.$context)
  })

  it('interpolates templates inside a longer string', () => {
    expect(render('order {{$context.body.id}} costs {{$context.body.amount}}')).toBe('order order-1 costs 1200')
  })

  it('interpolates null as an empty string', () => {
    expect(render('note: {{$context.body.note}}')).toBe('note: ')
  })

  it('interpolates undefined as an empty string', () => {
    expect(render('[{{$context.body.missing}}]')).toBe('[]')
  })

  it('interpolates booleans with String', () => {
    expect(render('passed={{$jobsMapByNodeKey.check.passed}}')).toBe('passed=true')
  })

  it('interpolates objects as JSON', () => {
    expect(render('items={{$context.body.items}}')).toBe('items=[{"sku":"x"}]')
  })

  it('treats a string with spaces around one template as mixed', () => {
    expect(render(' {{$context.body.amount}}')).toBe(' 1200')
  })

  it('allows whitespace inside the braces', () => {
    expect(render('{{   $context.body.amount  }}')).toBe(1200)
  })

  it('reads a header with dashes', () => {
    expect(render('{{ $context.headers.x-request-id }}')).toBe('req-9')
  })

  it('reads a nested body path', () => {
    expect(render('{{$context.body.a.b}}')).toBe('deep')
  })

  it('reads an array item', () => {
    expect(render('{{$context.body.items[0].sku}}')).toBe('x')
  })

  it('reads a quoted key with a dot', () => {
    expect(render('{{$context.query["a.b"]}}')).toBe('dotted')
  })

  it('reads a path parameter', () => {
    expect(render('{{$context.params.id}}')).toBe('42')
  })

  it('reads a job result through $jobsMapByNodeKey', () => {
    expect(render('{{$jobsMapByNodeKey.check.score}}')).toBe(7)
  })

  it('reads a scope through $scopes', () => {
    expect(render('{{$scopes.loop1.item}}')).toEqual({ n: 1 })
  })

  it('renders templates in nested object values', () => {
    expect(render({ outer: { id: '{{$context.body.id}}' } })).toEqual({ outer: { id: 'order-1' } })
  })

  it('renders templates in object keys', () => {
    expect(render({ '{{$context.body.id}}': 1, 'k-{{$context.params.id}}': 2 })).toEqual({ 'order-1': 1, 'k-42': 2 })
  })

  it('renders templates in arrays', () => {
    expect(render(['{{$context.body.amount}}', 1000, 'x'])).toEqual([1200, 1000, 'x'])
  })

  it('passes numbers, booleans and null through', () => {
    expect(render({ n: 1, b: false, z: null, s: '{{$context.params.id}}' })).toEqual({ n: 1, b: false, z: null, s: '42' })
  })

  it('renders the DESIGN.md condition operand', () => {
    const calculation = { calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }
    expect(render(calculation)).toEqual({ calculator: 'gt', operands: [1200, 1000] })
  })

  it('renders the DESIGN.md response body', () => {
    expect(render({ ok: true, id: '{{$context.body.id}}' })).toEqual({ ok: true, id: 'order-1' })
  })

  it('renders the DESIGN.md query template', () => {
    expect(render('{{$context.query.q}}')).toBe('search')
  })

  it('drops a key that renders to __proto__', () => {
    const rendered = compileTemplate({ '{{$context.body.key}}': { polluted: true } }).render({
      $context: { body: { key: '__proto__' } },
    }) as object
    expect([Object.keys(rendered), Object.getPrototypeOf(rendered)]).toEqual([[], Object.prototype])
  })

  it('drops a literal __proto__ key of an object that renders, keeping the rest', () => {
    const config = JSON.parse('{"__proto__": {"polluted": true}, "id": "{{$context.body.key}}", "prototype": 1}')
    const rendered = compileTemplate(config).render({ $context: { body: { key: 'k' } } }) as object
    expect([Object.keys(rendered), Object.getPrototypeOf(rendered)]).toEqual([['id', 'prototype'], Object.prototype])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps a key that renders to constructor as an own key', () => {
    const rendered = compileTemplate({ '{{$context.body.key}}': 1, a: '{{$context.body.key}}' }).render({
      $context: { body: { key: 'constructor' } },
    }) as object
    expect(rendered).toEqual({ constructor: 1, a: 'constructor' })
    expect([Object.hasOwn(rendered, 'constructor'), Object.getPrototypeOf(rendered)]).toEqual([true, Object.prototype])
  })

  it("renders {{$context.body.constructor}} as the sender's value, and nothing for a body without it", () => {
    const template = compileTemplate({ v: '{{$context.body.constructor}}', text: 'drink: {{$context.body.constructor}}' })
    expect(template.problems).toEqual([])
    expect(template.render({ $context: { body: { constructor: 'Red Bull' } } })).toEqual({ v: 'Red Bull', text: 'drink: Red Bull' })
    expect(template.render({ $context: { body: {} } })).toEqual({ v: undefined, text: 'drink: ' })
  })

  it('renders the same compiled template against different scopes', () => {
    const template = compileTemplate('#{{$context.body.id}}')
    const first = template.render({ $context: { body: { id: 1 } } })
    const second = template.render({ $context: { body: { id: 2 } } })
    expect([first, second]).toEqual(['#1', '#2'])
  })

  it('ignores a stray closing pair', () => {
    expect(render('a }} {{$context.params.id}}')).toBe('a }} 42')
  })
})

describe('compileTemplate static values', () => {
  it('marks a value without templates as static', () => {
    expect(compileTemplate({ a: [1, 'x'], b: null }).isStatic).toBe(true)
  })

  it('returns a static value itself, not a copy', () => {
    const value = { a: [1, 'x'] }
    expect(compileTemplate(value).render(scope)).toBe(value)
  })

  it('keeps static subtrees of a templated value by reference', () => {
    const fixed = { nested: [1, 2] }
    const rendered = compileTemplate({ fixed, id: '{{$context.params.id}}' }).render(scope) as { fixed: unknown }
    expect(rendered.fixed).toBe(fixed)
  })

  it('marks a templated value as not static', () => {
    expect(compileTemplate({ a: ['{{$context.params.id}}'] }).isStatic).toBe(false)
  })

  it('passes a Date through as an opaque value', () => {
    const date = new Date(0)
    expect(compileTemplate({ date, id: '{{$context.params.id}}' }).render(scope)).toEqual({ date, id: '42' })
  })
})

describe('compileTemplate problems', () => {
  it('reports an unknown root', () => {
    expect(compileTemplate('{{$ctx.body.a}}').problems).toEqual([
      { path: '', message: expect.stringMatching(/unknown root "\$ctx"/) },
    ])
  })

  it('reports an unclosed brace with its pointer', () => {
    expect(compileTemplate({ body: { id: 'x {{$context.body.id' } }).problems).toEqual([
      { path: '/body/id', message: expect.stringMatching(/unclosed '\{\{' at index 2/) },
    ])
  })

  it('reports an empty template', () => {
    expect(compileTemplate(['ok', '{{ }}']).problems).toEqual([{ path: '/1', message: expect.stringMatching(/empty template/) }])
  })

  it('reports bad path syntax', () => {
    expect(compileTemplate('{{$context.body..a}}').problems).toEqual([
      { path: '', message: expect.stringMatching(/invalid path.*empty segment/) },
    ])
  })

  it('reports a forbidden segment', () => {
    expect(compileTemplate('{{$context.body.__proto__.x}}').problems).toEqual([
      { path: '', message: expect.stringMatching(/"__proto__" is not allowed/) },
    ])
  })

  it('reports a problem in a key at the pointer of its entry', () => {
    expect(compileTemplate({ headers: [{ '{{$nope}}': 'v' }] }).problems).toEqual([
      { path: '/headers/0/{{$nope}}', message: expect.stringMatching(/unknown root/) },
    ])
  })

  it('escapes ~ and / in pointers', () => {
    expect(compileTemplate({ 'a/b~c': '{{}}' }).problems.map((problem) => problem.path)).toEqual(['/a~1b~0c'])
  })

  it('collects every problem instead of stopping at the first', () => {
    const problems = compileTemplate({ a: '{{$x}}', b: ['{{$context..}}', '{{'] }).problems
    expect(problems.map((problem) => problem.path)).toEqual(['/a', '/b/0', '/b/1'])
  })

  it('reports a circular value instead of overflowing the stack', () => {
    const value: Record<string, unknown> = { a: '{{$context.params.id}}' }
    value.self = value
    expect(compileTemplate(value).problems).toEqual([{ path: '/self', message: 'circular reference' }])
  })
})

describe('compileTemplate roots option', () => {
  it('accepts a configured root', () => {
    expect(compileTemplate('{{$env.region}}', { roots: ['$env'] }).render({ $env: { region: 'eu' } })).toBe('eu')
  })

  it('refuses a default root that the configured roots leave out', () => {
    expect(compileTemplate('{{$context.body}}', { roots: ['$env'] }).problems).toHaveLength(1)
  })
})

describe('hasTemplate', () => {
  it('finds a template in a nested value', () => {
    expect(hasTemplate({ a: [1, { b: 'x {{$context.q}}' }] })).toBe(true)
  })

  it('finds a template in a key', () => {
    expect(hasTemplate({ '{{k}}': 1 })).toBe(true)
  })

  it('answers false for a value without templates', () => {
    expect(hasTemplate({ a: ['}}', 1, null], b: '{ {' })).toBe(false)
  })
})

describe('compileTemplate renderParts', () => {
  it('renders a string as its literal text and each template value with its path, unjoined', () => {
    const template = compileTemplate('https://x/{{ $context.body.id }}/y?q={{$context.query.q}}')
    expect(template.renderParts?.({ $context: { body: { id: 'a/b' }, query: { q: 7 } } })).toEqual([
      { text: 'https://x/' },
      { value: 'a/b', path: '$context.body.id' },
      { text: '/y?q=' },
      { value: 7, path: '$context.query.q' },
    ])
  })

  it('renders a string without templates as one text part, and offers no parts for other values', () => {
    expect(compileTemplate('plain').renderParts?.({})).toEqual([{ text: 'plain' }])
    expect(compileTemplate({ a: '{{$context.body.a}}' }).renderParts).toBeUndefined()
  })
})
