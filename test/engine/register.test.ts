import { describe, it, expect } from 'vitest'
import { createEngine, defineNode, defineWorkflow } from '../../src/index.js'
import { definitionProblems, echoNode, problemPaths, runToEnd, workflow } from './helpers.js'

const responseNodeDef = (config: Record<string, unknown>, key = 'answer'): Record<string, unknown> => ({ key, type: 'response', config })

function engineWithEcho() {
  return createEngine({ nodeTypes: [echoNode] })
}

// A refused definition changes nothing, so refusal tests share one engine (building one compiles schemas).
const shared = engineWithEcho()

describe('register: one WorkflowDefinitionError with every problem', () => {
  it('refuses a key that does not match [A-Za-z0-9_-]{1,64}', () => {
    expect(problemPaths(shared, workflow('bad key!'))).toContain('/key')
  })

  it('refuses a key longer than 64 characters', () => {
    expect(problemPaths(shared, workflow('k'.repeat(65)))).toContain('/key')
  })

  it('refuses a node key that does not match the key pattern', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'no/slash', type: 'test.echo' }]))).toContain('/nodes/0/key')
  })

  it('refuses an unknown property at the top level', () => {
    expect(problemPaths(shared, { ...workflow('w'), extra: 1 })).toContain('/extra')
  })

  it('refuses an unknown property on a node', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'test.echo', colour: 'red' }]))).toContain('/nodes/0/colour')
  })

  it('refuses an unknown node type', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'acme.nope' }]))).toEqual(['/nodes/0/type'])
  })

  it('refuses an unknown node type inside a branch', () => {
    const definition = workflow('w', [
      { key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } }, branches: { true: [{ key: 'x', type: 'acme.nope' }] } },
    ])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/branches/true/0/type'])
  })

  it('refuses a node key used twice in the main chain', () => {
    const definition = workflow('w', [
      { key: 'a', type: 'test.echo' },
      { key: 'a', type: 'test.echo' },
    ])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/1/key'])
  })

  it('refuses a node key used again inside a branch', () => {
    const definition = workflow('w', [
      { key: 'a', type: 'test.echo' },
      { key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } }, branches: { false: [{ key: 'a', type: 'test.echo' }] } },
    ])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/1/branches/false/0/key'])
  })

  it('refuses a node key shared by two different branches', () => {
    const definition = workflow('w', [
      {
        key: 'c', type: 'condition',
        config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } },
        branches: { true: [{ key: 'same', type: 'test.echo' }], false: [{ key: 'same', type: 'test.echo' }] },
      },
    ])
    expect(problemPaths(shared, definition)).toHaveLength(1)
  })

  it('refuses an unclosed {{ in a template', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'test.echo', config: { v: 'x {{$context.body.a' } }]))).toEqual(['/nodes/0/config/v'])
  })

  it('refuses a template with an unknown root', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$foo.x}}' } }]))).toEqual(['/nodes/0/config/v'])
  })

  it('refuses a template path with a __proto__ segment', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$context.body.__proto__.x}}' } }]))).toEqual(['/nodes/0/config/v'])
  })

  it('accepts template paths through constructor and prototype keys, which are data', () => {
    expect(() => engineWithEcho().register(workflow('w', [{ key: 'a', type: 'test.echo', config: { v: '{{$context.body.constructor}}', p: '{{$context.body.a.prototype}}' } }]))).not.toThrow()
  })

  it('refuses a bad template inside an array of a config, pointing at the item', () => {
    expect(problemPaths(shared, workflow('w', [{ key: 'a', type: 'test.echo', config: { list: ['ok', '{{$nope}}'] } }]))).toEqual(['/nodes/0/config/list/1'])
  })

  it('refuses a Response node in an async workflow', () => {
    expect(problemPaths(shared, workflow('w', [responseNodeDef({ statusCode: 200 })]))).toEqual(['/nodes/0/type'])
  })

  it('refuses a Response node nested in a branch of an async workflow', () => {
    const definition = workflow('w', [
      { key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } }, branches: { true: [responseNodeDef({ statusCode: 200 })] } },
    ])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/branches/true/0/type'])
  })

  it('refuses a Response node when sync is explicitly false', () => {
    expect(problemPaths(shared, workflow('w', [responseNodeDef({})], { sync: false }))).toEqual(['/nodes/0/type'])
  })

  it.each([99, 199, 600, 700, 200.5])('refuses a Response statusCode of %s', (statusCode) => {
    const paths = problemPaths(shared, workflow('w', [responseNodeDef({ statusCode })], { sync: true }))
    expect(paths.length).toBeGreaterThan(0)
    expect(new Set(paths)).toEqual(new Set(['/nodes/0/config/statusCode']))
  })

  it('refuses a Response header name that is not an HTTP token', () => {
    const definition = workflow('w', [responseNodeDef({ headers: [{ name: 'bad header', value: 'x' }] })], { sync: true })
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/config/headers/0/name'])
  })

  it.each([
    ['CR LF', 'a\r\nx-injected: 1'],
    ['a lone LF', 'a\nb'],
    ['a lone CR', 'a\rb'],
  ])('refuses a Response header value containing %s', (_label, value) => {
    const definition = workflow('w', [responseNodeDef({ headers: [{ name: 'x-ok', value }] })], { sync: true })
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/config/headers/0/value'])
  })

  it.each(['content-length', 'Transfer-Encoding'])('refuses the forbidden Response header %s', (name) => {
    const definition = workflow('w', [responseNodeDef({ headers: [{ name, value: '1' }] })], { sync: true })
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/config/headers/0/name'])
  })

  it('refuses a forbidden header in the trigger response', () => {
    const definition = workflow('w', [], { trigger: { type: 'webhook', id: 'w', response: { headers: [{ name: 'content-length', value: '2' }] } } })
    expect(problemPaths(shared, definition)).toEqual(['/trigger/response/headers/0/name'])
  })

  it('refuses a branch name the node type does not have', () => {
    const definition = workflow('w', [
      { key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } }, branches: { maybe: [] } },
    ])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/branches/maybe'])
  })

  it('refuses branches on a node type that has none', () => {
    const definition = workflow('w', [{ key: 'a', type: 'test.echo', branches: { true: [] } }])
    expect(problemPaths(shared, definition)).toEqual(['/nodes/0/branches/true'])
  })

  it('refuses a trigger id already used by another workflow', () => {
    const engine = engineWithEcho()
    engine.register({ key: 'first', trigger: { type: 'webhook', id: 'shared' }, nodes: [] })
    expect(problemPaths(engine, { key: 'second', trigger: { type: 'webhook', id: 'shared' }, nodes: [] })).toEqual(['/trigger/id'])
  })

  it('keeps the first workflow when a clashing one is refused', async () => {
    const engine = engineWithEcho()
    engine.register({ key: 'first', trigger: { type: 'webhook', id: 'shared' }, nodes: [] })
    definitionProblems(engine, { key: 'second', trigger: { type: 'webhook', id: 'shared' }, nodes: [] })
    await expect(engine.trigger('second')).rejects.toThrow()
    expect((await runToEnd(engine, 'first')).status).toBe('resolved')
  })

  it('lets the same key be registered again with the same trigger id, replacing the workflow', async () => {
    const engine = engineWithEcho()
    engine.register({ key: 'wf', trigger: { type: 'webhook', id: 'same' }, nodes: [{ key: 'old', type: 'test.echo' }] })
    engine.register({ key: 'wf', trigger: { type: 'webhook', id: 'same' }, nodes: [{ key: 'new', type: 'test.echo' }] })
    const execution = await runToEnd(engine, 'wf')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['new'])
  })

  it('lists every problem of a definition with several static problems at once', () => {
    const definition = workflow('w', [
      { key: 'a', type: 'acme.nope' },
      { key: 'b', type: 'test.echo', config: { v: '{{$context.body.a' } },
      { key: 'b', type: 'test.echo', config: { v: '{{$foo.x}}' } },
      responseNodeDef({ statusCode: 700, headers: [{ name: 'content-length', value: '1' }] }),
    ])
    expect(new Set(problemPaths(shared, definition))).toEqual(
      new Set([
        '/nodes/0/type',
        '/nodes/1/config/v',
        '/nodes/2/key',
        '/nodes/2/config/v',
        '/nodes/3/type',
        '/nodes/3/config/statusCode',
        '/nodes/3/config/headers/0/name',
      ]),
    )
  })

  it('lists shape problems together with the other problems of the same definition', () => {
    const definition = {
      key: 'bad key!',
      extra: true,
      trigger: { type: 'webhook', id: 'w' },
      nodes: [
        { key: 'a', type: 'acme.nope' },
        { key: 'b', type: 'test.echo', config: { v: '{{$foo.x}}' } },
      ],
    }
    expect(new Set(problemPaths(shared, definition))).toEqual(
      new Set(['/key', '/extra', '/nodes/0/type', '/nodes/1/config/v']),
    )
  })

  it('lists a trigger id clash together with the other problems of the same definition', () => {
    const engine = engineWithEcho()
    engine.register({ key: 'first', trigger: { type: 'webhook', id: 'shared' }, nodes: [] })
    const definition = { key: 'second', trigger: { type: 'webhook', id: 'shared' }, nodes: [{ key: 'a', type: 'acme.nope' }] }
    expect(new Set(problemPaths(engine, definition))).toEqual(new Set(['/trigger/id', '/nodes/0/type']))
  })

  it('refuses a static config that fails a custom node configSchema', () => {
    const typed = defineNode({ type: 'acme.typed', configSchema: { type: 'object', properties: { amount: { type: 'number' } } }, run: () => null })
    const engine = createEngine({ nodeTypes: [typed] })
    expect(problemPaths(engine, workflow('w', [{ key: 'a', type: 'acme.typed', config: { amount: 'lots' } }]))).toEqual(['/nodes/0/config/amount'])
  })

  it('refuses an unknown condition calculator even when an operand is a template', () => {
    const definition = workflow('w', [
      { key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation: { calculator: 'between', operands: ['{{$context.body.amount}}', 1] } } },
    ])
    const paths = problemPaths(shared, definition)
    expect(paths.every((path) => path.startsWith('/nodes/0/config'))).toBe(true)
  })

  it('refuses a static config value that fails configSchema even when another value is a template', () => {
    const typed = defineNode({
      type: 'acme.typed',
      configSchema: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } } },
      run: () => null,
    })
    const engine = createEngine({ nodeTypes: [typed] })
    const definition = workflow('w', [{ key: 'a', type: 'acme.typed', config: { amount: '{{$context.body.amount}}', currency: 42 } }])
    expect(problemPaths(engine, definition)).toEqual(['/nodes/0/config/currency'])
  })

  it('registers and runs a valid sync definition', async () => {
    const engine = engineWithEcho()
    engine.register(
      defineWorkflow<typeof echoNode>({
        key: 'ok',
        sync: true,
        trigger: { type: 'webhook', id: 'ok' },
        nodes: [
          { key: 'echo', type: 'test.echo', config: { id: '{{$context.body.id}}' } },
          { key: 'answer', type: 'response', config: { statusCode: 201, headers: [{ name: 'x-id', value: '{{$jobsMapByNodeKey.echo.id}}' }], body: { ok: true } } },
        ],
      }),
    )
    const execution = await runToEnd(engine, 'ok', { body: { id: 'order-1' } })
    expect(execution.status).toBe('resolved')
    expect(execution.response).toEqual({ statusCode: 201, headers: [{ name: 'x-id', value: 'order-1' }], body: { ok: true } })
  })
})

describe('register: generated trigger ids', () => {
  it('fills in a trigger id of at least 22 base64url characters when the definition has none', () => {
    const registered = createEngine().register({ key: 'w', trigger: { type: 'webhook' }, nodes: [] })
    expect(registered.trigger.id).toMatch(/^[A-Za-z0-9_-]{22,}$/)
  })

  it('generates a different id for every workflow', () => {
    const engine = createEngine()
    const ids = new Set<string | undefined>()
    for (let i = 0; i < 200; i++) ids.add(engine.register({ key: `w${i}`, trigger: { type: 'webhook' }, nodes: [] }).trigger.id)
    expect(ids.size).toBe(200)
  })

  it('generates ids whose characters vary in every position (at least 128 random bits)', () => {
    const engine = createEngine()
    const ids: string[] = []
    for (let i = 0; i < 200; i++) ids.push(engine.register({ key: `w${i}`, trigger: { type: 'webhook' }, nodes: [] }).trigger.id as string)
    // 22 base64url characters carry 132 bits; 21 positions of 6 free bits are needed for 126.
    for (let position = 0; position < 21; position++) {
      expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThan(8)
    }
  })

  it('keeps a given trigger id as it is', () => {
    expect(createEngine().register({ key: 'w', trigger: { type: 'webhook', id: '1hfmkioou0d' }, nodes: [] }).trigger.id).toBe('1hfmkioou0d')
  })
})
