import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { createEngine, type Engine, WorkflowDefinitionError } from '../../src/index.js'
import type { AnyWorkflowDefinition } from '../../src/index.js'
import { echoNode, runToEnd } from './helpers.js'

const forbidden = ['__proto__', 'constructor', 'prototype'] as const
// Keys small enough to collide with the bodies below, plus inherited names and forbidden ones.
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'k', 'id', 'x-y', '0', 'polluted', 'toString', 'hasOwnProperty', 'length', ...forbidden),
  fc.string({ maxLength: 6 }),
)

// Any JSON, with objects built by Object.fromEntries so `__proto__` is an own key, as JSON.parse makes it.
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
    fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as unknown),
    fc.constantFrom(...forbidden).map((k) => ({ k })),
  ),
})).value

// A path segment as template text: bare, an index, or a quoted key (which may not even parse).
const segment = fc.oneof(
  fc.constantFrom('a', 'b', 'k', 'id', 'x-y', 'toString', 'length').map((k) => `.${k}`),
  fc.nat({ max: 3 }).map((n) => `[${n}]`),
  // Forbidden names are refused at register; kept rare so most definitions register.
  fc.oneof({ arbitrary: fc.string({ maxLength: 6 }), weight: 9 }, { arbitrary: fc.constantFrom(...forbidden), weight: 1 }).map((k) => `[${JSON.stringify(k)}]`),
)
// Headers and `$scopes` keys are checked against the definition at register: a header read
// names a declared one, and there is no loop around these nodes, so `$scopes` stays bare.
const headers = ['a', 'b', 'k', 'id', 'x-y', 'toString', 'length']
const path = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom('body', 'query', 'params', 'method').map((part) => `$context.${part}`),
        fc.constantFrom(...headers).map((name) => `$context.headers.${name}`),
        fc.constant('$context'),
        fc.constant('$jobsMapByNodeKey.zero'),
      ),
      fc.array(segment, { maxLength: 4 }),
    )
    .map(([root, rest]) => root + rest.join('')),
  fc.constantFrom('$context.headers', '$scopes'),
)
const template = fc.oneof(
  path.map((p) => `{{${p}}}`),
  fc.tuple(fc.string({ maxLength: 4 }), path, fc.string({ maxLength: 4 })).map(([before, p, after]) => `${before}{{ ${p} }}${after}`),
)

// A node config: templates in values, array items and object keys, mixed with plain JSON.
const config: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    template,
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.oneof(key, template), tie('value')), { maxLength: 4 })
    .map((entries) => Object.fromEntries(entries)),
})).object as fc.Arbitrary<Record<string, unknown>>

function snapshot(): string[] {
  return [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertySymbols(Object.prototype).map(String)].sort()
}

describe('rendering registered workflows against arbitrary input', () => {
  it('never throws and never pollutes Object.prototype', async () => {
    const engine: Engine = createEngine({ nodeTypes: [echoNode] })
    const before = snapshot()
    let registered = 0
    await fc.assert(
      fc.asyncProperty(config, config, json, fc.dictionary(key, json, { maxKeys: 3 }), async (first, second, body, query) => {
        const definition = {
          key: 'prop',
          sync: true,
          // Templates may only read declared headers and nodes that ran before.
          trigger: { type: 'webhook', id: 'prop', request: { headers: headers.map((name) => ({ key: name })) } },
          nodes: [
            { key: 'zero', type: 'test.echo', config: { a: [1] } },
            { key: 'first', type: 'test.echo', config: first },
            { key: 'second', type: 'test.echo', config: second },
          ],
        } as AnyWorkflowDefinition
        try {
          engine.register(definition)
        } catch (error) {
          // Only a definition problem may stop a registration; such a workflow never renders.
          expect(WorkflowDefinitionError.is(error)).toBe(true)
          return
        }
        registered++
        const execution = await runToEnd(engine, 'prop', { body, query, headers: { 'x-y': 'h' }, params: { id: '1' } })
        expect(execution.jobs.map((job) => [job.nodeKey, job.status, job.error])).toEqual([
          ['zero', 'resolved', null],
          ['first', 'resolved', null],
          ['second', 'resolved', null],
        ])
        expect(execution.status).toBe('resolved')
        expect(snapshot()).toEqual(before)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        for (const inherited in {}) throw new Error(`Object.prototype gained enumerable "${inherited}"`)
      }),
      { numRuns: 300 },
    )
    // Most generated definitions must register (about 70% do), or the property says little.
    expect(registered).toBeGreaterThan(120)
  })
})
