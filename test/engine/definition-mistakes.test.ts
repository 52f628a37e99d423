import { describe, it, expect } from 'vitest'
import { createEngine } from '../../src/index.js'
import { definitionProblems, echoNode, runToEnd, workflow } from './helpers.js'

// A refused definition changes nothing, so the refusal tests share one engine.
const engine = createEngine({ nodeTypes: [echoNode] })

function problemsOf(definition: unknown): Array<[string, string]> {
  return definitionProblems(engine, definition).map((p) => [p.path, p.message])
}

const sync = (nodes: unknown[], trigger: Record<string, unknown> = {}) =>
  workflow('w', nodes, { sync: true, trigger: { type: 'webhook', id: 'id-w', ...trigger } })
const always = { calculator: 'equal', operands: [1, 1] }

describe('register: unknown config keys and schema errors beside templates', () => {
  it('refuses a misspelt request option beside a templated header, naming the option it meant', () => {
    const definition = workflow('w', [{
      key: 'call', type: 'request',
      config: { url: 'https://example.com/x', headers: [{ name: 'x-id', value: '{{$context.body.id}}' }], ignorefail: true },
    }])
    expect(problemsOf(definition)).toEqual([['/nodes/0/config/ignorefail', 'unknown property "ignorefail" (did you mean "ignoreFail"?)']])
  })

  it('refuses a Response node with status instead of statusCode beside a templated body', () => {
    const definition = sync([{ key: 'answer', type: 'response', config: { status: 201, body: { id: '{{$context.body.id}}' } } }])
    expect(problemsOf(definition)).toEqual([['/nodes/0/config/status', 'unknown property "status" (did you mean "statusCode"?)']])
  })

  it('lists the known properties when an unknown one is near none of them', () => {
    const [problem] = problemsOf(sync([{ key: 'answer', type: 'response', config: { colour: 'red', body: '{{$context.body}}' } }]))
    expect(problem).toEqual(['/nodes/0/config/colour', 'unknown property "colour" (known: statusCode, headers, body, end)'])
  })

  it('reports every schema error of a templated config, each at its own place', () => {
    const definition = workflow('w', [{
      key: 'call', type: 'request',
      config: { url: '{{$context.body.url}}', timeout: -5, onlyData: 'yes', data: '{{$context.body}}' },
    }])
    expect(problemsOf(definition).map(([path]) => path).sort()).toEqual(['/nodes/0/config/onlyData', '/nodes/0/config/timeout'])
  })

  it('refuses a missing required key beside templated ones', () => {
    const definition = workflow('w', [{ key: 'call', type: 'request', config: { method: 'POST', data: { id: '{{$context.body.id}}' } } }])
    expect(problemsOf(definition)).toEqual([['/nodes/0/config', 'missing required property "url"']])
  })

  it('registers a templated value where the schema constrains it, and checks it once rendered', async () => {
    engine.register(workflow('rendered', [{
      key: 'check', type: 'condition',
      config: { calculation: { calculator: '{{$context.body.op}}', operands: [2, 1] } },
    }]))
    const good = await runToEnd(engine, 'rendered', { body: { op: 'gt' } })
    expect(good.status).toBe('resolved')
    const bad = await runToEnd(engine, 'rendered', { body: { op: 'greaterThan' } })
    expect(bad.status).toBe('error')
    expect(bad.jobs[0]?.error?.message).toMatch(/at \/calculation\/calculator: unknown calculator "greaterThan"/)
  })
})

describe('register: template references checked against the flow', () => {
  it('refuses a $jobsMapByNodeKey key that names no node, listing the nodes that run before', () => {
    const definition = workflow('w', [
      { key: 'order', type: 'test.echo', config: { id: 1 } },
      { key: 'notify', type: 'test.echo', config: { text: 'id {{$jobsMapByNodeKey.ordr.id}}' } },
    ])
    expect(problemsOf(definition)).toEqual([[
      '/nodes/1/config/text',
      '{{$jobsMapByNodeKey.ordr.id}}: no node "ordr" in this workflow (did you mean "order"?); nodes that run before "notify": order',
    ]])
  })

  it('refuses a node key that only runs later in the chain', () => {
    const definition = workflow('w', [
      { key: 'first', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.second}}' } },
      { key: 'second', type: 'test.echo' },
    ])
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/config/v',
      '{{$jobsMapByNodeKey.second}}: node "second" does not run before "first" on any path; nodes that run before "first": none',
    ]])
  })

  it('refuses a node of the other branch of a condition', () => {
    const definition = workflow('w', [{
      key: 'check', type: 'condition', config: { calculation: always },
      branches: { true: [{ key: 'yes', type: 'test.echo' }], false: [{ key: 'no', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.yes}}' } }] },
    }])
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/branches/false/0/config/v',
      '{{$jobsMapByNodeKey.yes}}: node "yes" does not run before "no" on any path; nodes that run before "no": check',
    ]])
  })

  it('refuses a node that comes later in the same branch of a condition', () => {
    const definition = workflow('w', [{
      key: 'check', type: 'condition', config: { calculation: always },
      branches: { true: [{ key: 'a', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.b}}' } }, { key: 'b', type: 'test.echo' }] },
    }])
    expect(problemsOf(definition).map(([path]) => path)).toEqual(['/nodes/0/branches/true/0/config/v'])
  })

  it('accepts earlier nodes, enclosing nodes, nodes inside earlier branches, and what ran in an earlier loop pass', () => {
    const registered = engine.register(workflow('refs', [
      { key: 'a', type: 'test.echo' },
      { key: 'check', type: 'condition', config: { calculation: always }, branches: { true: [{ key: 'inside', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.check}} {{$jobsMapByNodeKey.a}}' } }] } },
      {
        key: 'items', type: 'loop',
        config: { target: 2, condition: { calculation: { calculator: 'lt', operands: ['{{$scopes.items.index}}', '{{$jobsMapByNodeKey.last}}'] } } },
        branches: { body: [
          { key: 'each', type: 'test.echo', config: { item: '{{$scopes.items.item}}', before: '{{$jobsMapByNodeKey.last}}' } },
          { key: 'last', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.each}}' } },
        ] },
      },
      { key: 'fanout', type: 'parallel', branches: { left: [{ key: 'l', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.r}}' } }], right: [{ key: 'r', type: 'test.echo' }] } },
      { key: 'end', type: 'test.echo', config: { v: '{{$jobsMapByNodeKey.inside}} {{$jobsMapByNodeKey.last}} {{$jobsMapByNodeKey}}' } },
    ]))
    expect(registered.key).toBe('refs')
  })

  it('refuses a $scopes key that is not a loop or parallel around the node', () => {
    const definition = workflow('w', [
      { key: 'items', type: 'loop', config: { target: 2 }, branches: { body: [{ key: 'each', type: 'test.echo', config: { v: '{{$scopes.item.index}}' } }] } },
    ])
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/branches/body/0/config/v',
      '{{$scopes.item.index}}: "item" is not a loop or parallel around this node (did you mean "items"?); around it: items',
    ]])
  })

  it('refuses $scopes of a condition and $scopes outside any loop', () => {
    const definition = workflow('w', [
      { key: 'outside', type: 'test.echo', config: { v: '{{$scopes.items.item}}' } },
      { key: 'check', type: 'condition', config: { calculation: always }, branches: { true: [{ key: 'in', type: 'test.echo', config: { v: '{{$scopes.check}}' } }] } },
    ])
    expect(problemsOf(definition)).toEqual([
      ['/nodes/0/config/v', '{{$scopes.items.item}}: "items" is not a loop or parallel around this node; none is around it'],
      ['/nodes/1/branches/true/0/config/v', '{{$scopes.check}}: "check" is not a loop or parallel around this node; none is around it'],
    ])
  })

  it('refuses a header that is not declared in trigger.request.headers, naming the declared ones', () => {
    const definition = workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$context.headers.x-signature}}' } }], {
      trigger: { type: 'webhook', id: 'id-w', request: { headers: [{ key: 'x-request-id' }] } },
    })
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/config/v',
      '{{$context.headers.x-signature}}: header "x-signature" is not declared in trigger.request.headers, so it is never stored; declared: x-request-id',
    ]])
  })

  it('says how to declare a header when none is declared', () => {
    const [problem] = problemsOf(workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$context.headers.x-id}}' } }]))
    expect(problem?.[1]).toMatch(/add \{ "key": "x-id" \} to declare it$/)
  })

  it('refuses a header named in capitals, since headers are stored lower-cased', () => {
    const definition = workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$context.headers.X-Request-Id}}' } }], {
      trigger: { type: 'webhook', id: 'id-w', request: { headers: [{ key: 'X-Request-Id' }] } },
    })
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/config/v',
      '{{$context.headers.X-Request-Id}}: headers are stored lower-cased; write {{$context.headers.x-request-id}}',
    ]])
  })

  it('checks the headers the async answer reads as well', () => {
    const definition = workflow('w', [], {
      trigger: { type: 'webhook', id: 'id-w', response: { statusCode: 202, headers: [{ name: 'x-echo', value: '{{$context.headers.x-echo}}' }] } },
    })
    expect(problemsOf(definition).map(([path]) => path)).toEqual(['/trigger/response/headers/0/value'])
  })
})

describe('register: one problem per place, in words', () => {
  it('names an unknown calculator and the known ones, once, instead of oneOf noise', () => {
    const definition = workflow('w', [{
      key: 'check', type: 'condition',
      config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'greaterThan', operands: ['{{$context.body.a}}', 1] }] } } },
    }])
    expect(problemsOf(definition)).toEqual([[
      '/nodes/0/config/calculation/group/calculations/0/calculator',
      'unknown calculator "greaterThan" (known: equal, notEqual, gt, gte, lt, lte, includes, notIncludes, startsWith, notStartsWith, endsWith, notEndsWith)',
    ]])
  })

  it('names the missing keys of the form a calculation was meant to have', () => {
    expect(problemsOf(workflow('w', [{ key: 'check', type: 'condition', config: { calculation: { calculator: 'gt' } } }]))).toEqual([
      ['/nodes/0/config/calculation', 'missing required property "operands"'],
    ])
  })

  it('describes every form of a union when the value has none of them', () => {
    expect(problemsOf(workflow('w', [{ key: 'check', type: 'condition', config: { calculation: {} } }]))).toEqual([[
      '/nodes/0/config/calculation',
      'must be an object with "group" or an object with "calculator" and "operands", not an empty object',
    ]])
  })

  it('says which constant the trigger type must be', () => {
    expect(problemsOf({ key: 'w', trigger: { type: 'webhok' }, nodes: [] })).toEqual([['/trigger/type', 'must be "webhook", not "webhok"']])
  })

  it('names the expected type and the one given', () => {
    const definition = { key: 'w', sync: 'yes', trigger: { type: 'webhook' }, nodes: [] }
    expect(problemsOf(definition)).toEqual([['/sync', 'must be true or false, not the string "yes"']])
  })

  it('suggests the near miss of an enum', () => {
    expect(problemsOf(workflow('w', [{ key: 'stop', type: 'end', config: { endStatus: 'resolve' } }]))).toEqual([
      ['/nodes/0/config/endStatus', 'unknown endStatus "resolve" (did you mean "resolved"?) (known: resolved, failed)'],
    ])
  })

  it('suggests the node type a misspelt one meant', () => {
    const [problem] = problemsOf(workflow('w', [{ key: 'check', type: 'conditon', config: {} }]))
    expect(problem?.[0]).toBe('/nodes/0/type')
    expect(problem?.[1]).toMatch(/^unknown node type "conditon" \(did you mean "condition"\?\) \(known: condition, response, end, /)
  })

  it('describes both forms of a setting that is false or an object', () => {
    const definition = { key: 'w', trigger: { type: 'webhook', basicAuthentication: true }, nodes: [] }
    expect(problemsOf(definition)).toEqual([['/trigger/basicAuthentication', 'must be false or an object with "username" and "password", not true']])
  })

  it('merges the missing keys of one object into one problem', () => {
    const definition = { key: 'w', trigger: { type: 'webhook', rateLimit: {} }, nodes: [] }
    expect(problemsOf(definition)).toEqual([['/trigger/rateLimit', 'missing required properties "limit" and "windowMs"']])
  })

  it('keeps one problem per place when several rules refuse it', () => {
    const problems = problemsOf(sync([{ key: 'answer', type: 'response', config: { statusCode: true } }]))
    expect(problems).toEqual([['/nodes/0/config/statusCode', 'must be an integer or a string, not true']])
  })
})
