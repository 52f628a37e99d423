// Type tests: `npm run typecheck` (tsc over test/) fails if a `@ts-expect-error` line below
// compiles, or if an `expectTypeOf` does not hold. vitest runs the file as well, for the few
// runtime facts beside them.
import { afterAll, describe, expectTypeOf, it, expect } from 'vitest'
import {
  createEngine,
  defineNode,
  defineWorkflow,
  type Engine,
  type ExecutionRecord,
  type NodeDefinition,
  type ResponseDescription,
  type RunResult,
  type Template,
  WebhookTrigger,
  type WorkflowDefinition,
} from '../../src/index.js'

const score = defineNode({
  type: 'acme.score',
  configSchema: {
    type: 'object',
    properties: { amount: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
    required: ['amount'],
    additionalProperties: false,
  },
  run: async ({ config }) => {
    expectTypeOf(config.amount).toEqualTypeOf<number>()
    expectTypeOf(config.currency).toEqualTypeOf<'EUR' | 'USD' | undefined>()
    return { score: config.amount > 1000 ? 7 : 1 }
  },
})

const engines: Engine[] = []
afterAll(async () => {
  for (const engine of engines) await engine.close()
})

describe('defineNode', () => {
  it('infers config from configSchema, keeps the type name literal and the result type', () => {
    expectTypeOf(score.type).toEqualTypeOf<'acme.score'>()
    type Args = Parameters<typeof score.run>[0]
    expectTypeOf<Args['config']>().toEqualTypeOf<{ amount: number; currency?: 'EUR' | 'USD' }>()
    expectTypeOf<Awaited<ReturnType<typeof score.run>>>().toEqualTypeOf<{ score: number }>()
  })

  it('takes the config type as a type argument when there is no schema', () => {
    const greet = defineNode<{ name: string }, string>({ type: 'acme.greet', run: ({ config }) => `hello ${config.name}` })
    expectTypeOf<Parameters<typeof greet.run>[0]['config']>().toEqualTypeOf<{ name: string }>()
    const plain = defineNode({ type: 'acme.plain', run: ({ config }) => config })
    expectTypeOf<Parameters<typeof plain.run>[0]['config']>().toEqualTypeOf<Record<string, unknown>>()
    expectTypeOf(plain.type).toEqualTypeOf<'acme.plain'>()
  })

  it('refuses a run that reads what the schema does not declare as typed', () => {
    defineNode({
      type: 'acme.strict',
      configSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'], additionalProperties: false },
      run: ({ config }) => {
        // @ts-expect-error: amount is a number, not a string
        config.amount.toUpperCase()
        // @ts-expect-error: no such key with additionalProperties: false
        return config.other
      },
    })
  })
})

describe('defineWorkflow', () => {
  it('types each built-in node\'s config by its type', () => {
    const wf = defineWorkflow({
      key: 'pay',
      sync: true,
      trigger: { type: 'webhook', id: 'pay' },
      nodes: [{
        key: 'big', type: 'condition',
        config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } },
        branches: {
          true: [{ key: 'ok', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-id', value: '{{$context.body.id}}' }], body: { ok: true } } }],
          false: [{ key: 'no', type: 'response', config: { statusCode: '{{$context.body.code}}' } }],
        },
      }],
    })
    expectTypeOf(wf).toEqualTypeOf<WorkflowDefinition>()
    type ResponseConfig = NonNullable<Extract<NodeDefinition, { type: 'response' }>['config']>
    expectTypeOf<Exclude<ResponseConfig, Template>['statusCode']>().toEqualTypeOf<number | Template | undefined>()
  })

  it('accepts a config written as const', () => {
    const calculation = { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } as const
    defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'c', type: 'condition', config: { rejectOnFalse: false, calculation } }] })
    const wrong = { calculator: 'bigger', operands: [1, 2] } as const
    // @ts-expect-error: bigger is no calculator
    defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'c', type: 'condition', config: { calculation: wrong } }] })
  })

  it('rejects a misspelt node type', () => {
    // @ts-expect-error: 'conditon' is no node type
    defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'c', type: 'conditon', config: {} }] })
  })

  it('rejects a status code that is neither a number nor a template', () => {
    // @ts-expect-error: '200x' is not a status code
    defineWorkflow({ key: 'w', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'r', type: 'response', config: { statusCode: '200x' } }] })
  })

  it('rejects an unknown config key and an unknown calculator', () => {
    // @ts-expect-error: a Response node has statusCode, not status
    defineWorkflow({ key: 'w', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'r', type: 'response', config: { status: 201 } }] })
    defineWorkflow({
      key: 'w', trigger: { type: 'webhook' },
      // @ts-expect-error: greaterThan is no calculator
      nodes: [{ key: 'c', type: 'condition', config: { calculation: { calculator: 'greaterThan', operands: [1, 2] } } }],
    })
    defineWorkflow({
      key: 'w', trigger: { type: 'webhook' },
      // @ts-expect-error: ignorefail is spelt ignoreFail
      nodes: [{ key: 'call', type: 'request', config: { url: 'https://example.com', ignorefail: true } }],
    })
  })

  it('rejects a branch the node type does not have, and a missing required config', () => {
    defineWorkflow({
      key: 'w', trigger: { type: 'webhook' },
      // @ts-expect-error: a condition has branches true and false only
      nodes: [{ key: 'c', type: 'condition', config: { calculation: { calculator: 'equal', operands: [1, 1] } }, branches: { maybe: [] } }],
    })
    // @ts-expect-error: a request node needs a url
    defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'call', type: 'request', config: { method: 'GET' } }] })
  })

  it('rejects a trigger typo', () => {
    // @ts-expect-error: the trigger type is webhook
    defineWorkflow({ key: 'w', trigger: { type: 'webhok' }, nodes: [] })
  })

  it('accepts custom node types given as a type argument, checking their config', () => {
    const wf = defineWorkflow<typeof score>({
      key: 'scored', trigger: { type: 'webhook' },
      nodes: [{ key: 's', type: 'acme.score', config: { amount: '{{$context.body.amount}}' } }, { key: 't', type: 'acme.score', config: { amount: 5, currency: 'EUR' } }],
    })
    expectTypeOf(wf).toEqualTypeOf<WorkflowDefinition<typeof score>>()
    // @ts-expect-error: amount is a number (or a template)
    defineWorkflow<typeof score>({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 'lots' } }] })
    // @ts-expect-error: the score node requires its config
    defineWorkflow<typeof score>({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 's', type: 'acme.score' }] })
    // @ts-expect-error: without the type argument, acme.score is unknown
    defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 5 } }] })
  })
})

describe('a typed engine', () => {
  it('checks definitions against the node types it was built with', () => {
    const engine = createEngine({ nodeTypes: [score] })
    engines.push(engine)
    engine.register({ key: 'a', trigger: { type: 'webhook', id: 'a' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 1 } }] })
    // @ts-expect-error: amount is a number
    expect(() => engine.register({ key: 'b', trigger: { type: 'webhook', id: 'b' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 'x' } }] })).toThrow()
    const plain = createEngine()
    engines.push(plain)
    // @ts-expect-error: this engine has no acme.score
    expect(() => plain.register({ key: 'c', trigger: { type: 'webhook' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 1 } }] })).toThrow(/unknown node type/)
    // A bare Engine (a helper's parameter) takes any engine and any node.
    const anyEngine: Engine = engine
    anyEngine.register({ key: 'd', trigger: { type: 'webhook', id: 'd' }, nodes: [{ key: 's', type: 'acme.score', config: { amount: 2 } }] })
    expect(new WebhookTrigger({ engine }).engine).toBe(engine)
  })

  it('register returns a non-optional trigger id and the webhook path', () => {
    const engine = createEngine()
    engines.push(engine)
    const registered = engine.register({ key: 'hello', trigger: { type: 'webhook' }, nodes: [] })
    expectTypeOf(registered.trigger.id).toEqualTypeOf<string>()
    expectTypeOf(registered.path).toEqualTypeOf<string>()
    expect(registered.path).toBe(`/${registered.trigger.id}`)
    // Not enumerable: the returned object is still a definition that registers again.
    expect(Object.keys(registered)).not.toContain('path')
    expect(engine.register(registered).trigger.id).toBe(registered.trigger.id)
    const byPath = engine.register({ key: 'orders', trigger: { type: 'webhook', path: '/orders/:orderId' }, nodes: [] })
    expect(byPath.path).toBe('/orders/:orderId')
  })

  it('engine.run resolves with the execution and the sync answer', () => {
    const engine = createEngine()
    engines.push(engine)
    expectTypeOf(engine.run).returns.resolves.toEqualTypeOf<RunResult>()
    expectTypeOf<RunResult['execution']>().toEqualTypeOf<ExecutionRecord>()
    expectTypeOf<RunResult['response']>().toEqualTypeOf<ResponseDescription | undefined>()
  })
})
