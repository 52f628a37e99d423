import { describe, it, expect } from 'vitest'
import { conditionNode, createEngine } from '../../src/index.js'
import type { NodeFlow, ResponseDescription } from '../../src/index.js'
import type { ConditionConfig } from '../../src/nodes/condition.js'
import { echoNode, runToEnd, workflow } from '../engine/helpers.js'

interface FlowCalls {
  flow: NodeFlow
  branches: string[]
  ends: string[]
}

function fakeFlow(): FlowCalls {
  const calls: FlowCalls = {
    branches: [],
    ends: [],
    flow: {
      branch: (name) => calls.branches.push(name),
      respond: (_response: ResponseDescription) => undefined,
      end: (status) => calls.ends.push(status),
      run: () => Promise.reject(new Error('no branches run inline here')),
      render: () => undefined,
      renderParts: () => [],
      wait: () => undefined,
      limits: { maxLoopIterations: 1 },
      assign: () => undefined,
    },
  }
  return calls
}

/** Runs the condition node directly, as the engine would, with a fake flow. */
function evaluate(config: ConditionConfig, branches: readonly string[] = ['true', 'false']): { result: unknown; calls: FlowCalls } {
  const calls = fakeFlow()
  const result = conditionNode.run({
    config,
    signal: new AbortController().signal,
    node: { key: 'c', type: 'condition', branches },
    execution: { id: 'x', workflowKey: 'w', sync: false, context: { headers: {}, query: {}, body: {}, params: {} } },
    jobs: {},
    flow: calls.flow,
  })
  return { result, calls }
}

const single = (calculator: string, a: unknown, b: unknown): ConditionConfig => ({
  rejectOnFalse: false,
  engine: 'basic',
  calculation: { calculator, operands: [a, b] },
})

describe('condition calculators (basic engine)', () => {
  it.each([
    ['equal', 1000, 1000],
    ['equal', '1000', 1000],
    ['notEqual', 1, 2],
    ['gt', 1001, 1000],
    ['gte', 1000, 1000],
    ['lt', 999, 1000],
    ['lte', 1000, 1000],
    ['includes', 'hello world', 'lo w'],
    ['includes', ['a', 'b'], 'b'],
    ['notIncludes', 'hello', 'xyz'],
    ['startsWith', 'order-123', 'order-'],
    ['notStartsWith', 'order-123', 'refund-'],
    ['endsWith', 'file.json', '.json'],
    ['notEndsWith', 'file.json', '.xml'],
  ])('%s is true for %j and %j', (calculator, a, b) => {
    expect(evaluate(single(calculator, a, b)).result).toBe(true)
  })

  it.each([
    ['equal', 1, 2],
    ['notEqual', 1000, 1000],
    ['gt', 1000, 1000],
    ['gte', 999, 1000],
    ['lt', 1000, 1000],
    ['lte', 1001, 1000],
    ['includes', 'hello', 'xyz'],
    ['includes', ['a', 'b'], 'c'],
    ['notIncludes', 'hello world', 'lo w'],
    ['startsWith', 'order-123', '123'],
    ['notStartsWith', 'order-123', 'order-'],
    ['endsWith', 'file.json', 'file'],
    ['notEndsWith', 'file.json', '.json'],
  ])('%s is false for %j and %j', (calculator, a, b) => {
    expect(evaluate(single(calculator, a, b)).result).toBe(false)
  })

  it.each(['gt', 'gte', 'lt', 'lte'])('%s is false, not an error, when an operand is missing', (calculator) => {
    expect(evaluate(single(calculator, undefined, 1)).result).toBe(false)
  })
})

describe('condition groups', () => {
  it('is true for an and group whose calculations all hold', () => {
    const config: ConditionConfig = { calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: [1, 1] }, { calculator: 'lt', operands: [1, 2] }] } } }
    expect(evaluate(config).result).toBe(true)
  })

  it('is false for an and group with one false calculation', () => {
    const config: ConditionConfig = { calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: [1, 1] }, { calculator: 'gt', operands: [1, 2] }] } } }
    expect(evaluate(config).result).toBe(false)
  })

  it('is true for an or group with one true calculation', () => {
    const config: ConditionConfig = { calculation: { group: { type: 'or', calculations: [{ calculator: 'equal', operands: [1, 2] }, { calculator: 'lt', operands: [1, 2] }] } } }
    expect(evaluate(config).result).toBe(true)
  })

  it('evaluates an or group nested in an and group (true case)', () => {
    const config: ConditionConfig = {
      calculation: { group: { type: 'and', calculations: [
        { group: { type: 'or', calculations: [{ calculator: 'equal', operands: [1, 2] }, { calculator: 'equal', operands: ['a', 'a'] }] } },
        { calculator: 'gte', operands: [5, 5] },
      ] } },
    }
    expect(evaluate(config).result).toBe(true)
  })

  it('evaluates an or group nested in an and group (false case)', () => {
    const config: ConditionConfig = {
      calculation: { group: { type: 'and', calculations: [
        { group: { type: 'or', calculations: [{ calculator: 'equal', operands: [1, 2] }, { calculator: 'equal', operands: ['a', 'b'] }] } },
        { calculator: 'gte', operands: [5, 5] },
      ] } },
    }
    expect(evaluate(config).result).toBe(false)
  })

  it('evaluates an and group nested in an or group', () => {
    const config: ConditionConfig = {
      calculation: { group: { type: 'or', calculations: [
        { calculator: 'equal', operands: [1, 2] },
        { group: { type: 'and', calculations: [{ calculator: 'startsWith', operands: ['abc', 'a'] }, { calculator: 'endsWith', operands: ['abc', 'c'] }] } },
      ] } },
    }
    expect(evaluate(config).result).toBe(true)
  })
})

describe('condition flow decisions', () => {
  it('runs branch true on true with rejectOnFalse false', () => {
    expect(evaluate(single('equal', 1, 1)).calls).toMatchObject({ branches: ['true'], ends: [] })
  })

  it('runs branch false on false with rejectOnFalse false', () => {
    expect(evaluate(single('equal', 1, 2)).calls).toMatchObject({ branches: ['false'], ends: [] })
  })

  it('ends the flow as failed on false with rejectOnFalse true', () => {
    expect(evaluate({ ...single('equal', 1, 2), rejectOnFalse: true }).calls).toMatchObject({ branches: [], ends: ['failed'] })
  })

  it('does not end the flow on true with rejectOnFalse true', () => {
    expect(evaluate({ ...single('equal', 1, 1), rejectOnFalse: true }).calls.ends).toEqual([])
  })
})

const condition = (operands: unknown[], rejectOnFalse: boolean, branches?: Record<string, unknown[]>): Record<string, unknown> => ({
  key: 'check',
  type: 'condition',
  config: { rejectOnFalse, engine: 'basic', calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands }] } } },
  ...(branches ? { branches } : {}),
})

describe('condition node in a workflow', () => {
  // Registering the same key again replaces the workflow, so one engine serves every test.
  const engine = createEngine({ nodeTypes: [echoNode] })

  it('compares a templated operand from $context', async () => {
    engine.register(workflow('w', [condition(['{{$context.body.amount}}', 1000], false)]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 1200 } })
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'check', type: 'condition', status: 'resolved', result: true })
  })

  it('fails the execution on false with rejectOnFalse true', async () => {
    engine.register(workflow('w', [condition(['{{$context.body.amount}}', 1000], true), { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 10 } })
    expect(execution.status).toBe('failed')
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['check', 'failed']])
  })

  it('continues the chain on true with rejectOnFalse true', async () => {
    engine.register(workflow('w', [condition(['{{$context.body.amount}}', 1000], true), { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 5000 } })
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['check', 'after'])
  })

  it('resolves on false with rejectOnFalse false and runs branch false', async () => {
    engine.register(workflow('w', [condition(['{{$context.body.amount}}', 1000], false, { true: [{ key: 'yes', type: 'test.echo' }], false: [{ key: 'no', type: 'test.echo' }] })]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 10 } })
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['check', 'no'])
  })

  it('runs branch true and then rejoins the main chain after the condition node', async () => {
    engine.register(workflow('w', [
      { key: 'before', type: 'test.echo' },
      condition(['{{$context.body.amount}}', 1000], false, { true: [{ key: 'yes1', type: 'test.echo' }, { key: 'yes2', type: 'test.echo' }], false: [{ key: 'no', type: 'test.echo' }] }),
      { key: 'after', type: 'test.echo' },
    ]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 5000 } })
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['before', 'check', 'yes1', 'yes2', 'after'])
  })

  it('rejoins the main chain after an empty or absent branch', async () => {
    engine.register(workflow('w', [condition(['{{$context.body.amount}}', 1000], false, { true: [{ key: 'yes', type: 'test.echo' }] }), { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 1 } })
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['check', 'after'])
  })

  it('rejoins the enclosing branch after a nested branch', async () => {
    const inner = { ...condition(['{{$context.body.amount}}', 100], false, { true: [{ key: 'inner-yes', type: 'test.echo' }] }), key: 'inner' }
    engine.register(workflow('w', [
      condition(['{{$context.body.amount}}', 10], false, { true: [inner, { key: 'outer-after-inner', type: 'test.echo' }] }),
      { key: 'after', type: 'test.echo' },
    ]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 500 } })
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['check', 'inner', 'inner-yes', 'outer-after-inner', 'after'])
  })
})
