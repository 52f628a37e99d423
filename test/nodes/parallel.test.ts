import { describe, expect, it } from 'vitest'
import { defineNode, type AnyNodeDefinition as NodeDefinition, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { deferred, idPath, post, settledExecution, setup } from '../helpers/webhook.js'

// Parallel branches through real webhook requests. Branch nodes are steered by gates the test
// opens, so "first to finish" is decided by the test, never by a clock.

function syncFlow(mode: string, branches: Record<string, NodeDefinition[]>): WorkflowDefinition {
  return {
    key: 'fan',
    sync: true,
    trigger: { type: 'webhook', id: 'fan' },
    nodes: [
      { key: 'fan', type: 'parallel', config: { mode }, branches },
      { key: 'answer', type: 'response', config: { statusCode: 200, body: '{{$jobsMapByNodeKey.fan}}' } },
    ],
  }
}

/** `test.step` nodes wait for the gate named in their config, then resolve or throw. */
function steps() {
  const gates = new Map<string, ReturnType<typeof deferred>>()
  const started: string[] = []
  const aborted: string[] = []
  const gate = (name: string) => {
    let g = gates.get(name)
    if (!g) gates.set(name, (g = deferred()))
    return g
  }
  const nodeType = defineNode<{ gate: string; fail?: boolean }>({
    type: 'test.step',
    run: async ({ config, signal, node }) => {
      started.push(node.key)
      signal.addEventListener('abort', () => aborted.push(node.key))
      await gate(config.gate).promise
      if (config.fail) throw new Error(`${node.key} failed`)
      return node.key
    },
  })
  const step = (key: string, fail = false): NodeDefinition => ({ key, type: 'test.step', config: { gate: key, fail } })
  return { nodeType, step, open: (name: string) => gate(name).resolve(undefined), started, aborted }
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(predicate()).toBe(true)
}

describe('parallel node', () => {
  it('runs its branches at once and, in mode all, goes on once every branch resolved', async () => {
    const s = steps()
    const { engine, trigger } = setup([syncFlow('all', { a: [s.step('a1'), s.step('a2')], b: [s.step('b1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    expect(s.started.sort()).toEqual(['a1', 'b1'])
    s.open('b1')
    s.open('a1')
    s.open('a2')
    const response = await answer
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ mode: 'all', branches: { a: 'resolved', b: 'resolved' } })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.nodeKey).sort()).toEqual(['a1', 'a2', 'answer', 'b1', 'fan'])
  })

  it('in mode all, fails at the first branch error and aborts the others', async () => {
    const s = steps()
    const { engine, trigger } = setup([syncFlow('all', { a: [s.step('a1', true)], b: [s.step('b1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    s.open('a1')
    const response = await answer
    expect(response.status).toBe(500)
    expect(s.aborted).toEqual(['b1'])
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    expect(execution.error?.message).toBe('a1 failed')
    expect(Object.fromEntries(execution.jobs.map((job) => [job.nodeKey, job.status]))).toEqual({ a1: 'error', b1: 'aborted', fan: 'error' })
  })

  it('in mode any, goes on with the first branch that resolved, though another failed first', async () => {
    const s = steps()
    const { trigger } = setup([syncFlow('any', { a: [s.step('a1', true)], b: [s.step('b1')], c: [s.step('c1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 3)
    s.open('a1')
    // Let a1's failure reach the parallel node before b1 resolves.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    s.open('b1')
    const response = await answer
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ mode: 'any', branches: { a: 'error', b: 'resolved', c: 'aborted' } })
    expect(s.aborted).toEqual(['c1'])
  })

  it('in mode any, fails when every branch failed', async () => {
    const s = steps()
    const { engine, trigger } = setup([syncFlow('any', { a: [s.step('a1', true)], b: [s.step('b1', true)] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    s.open('a1')
    s.open('b1')
    const response = await answer
    expect(response.status).toBe(500)
    expect((await settledExecution(engine, response)).status).toBe('error')
  })

  it('in mode race, lets the first branch to finish decide, even a failing one', async () => {
    const s = steps()
    const { engine, trigger } = setup([syncFlow('race', { a: [s.step('a1', true)], b: [s.step('b1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    s.open('a1')
    const response = await answer
    expect(response.status).toBe(500)
    expect(s.aborted).toEqual(['b1'])
    expect((await settledExecution(engine, response)).error?.message).toBe('a1 failed')
  })

  it('in mode race, resolves when the first to finish resolved', async () => {
    const s = steps()
    const { trigger } = setup([syncFlow('race', { a: [s.step('a1', true)], b: [s.step('b1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    s.open('b1')
    const response = await answer
    expect(await response.json()).toEqual({ mode: 'race', branches: { a: 'aborted', b: 'resolved' } })
    expect(s.aborted).toEqual(['a1'])
  })

  it('in mode allSettled, waits for every branch and resolves whatever they did', async () => {
    const s = steps()
    const { engine, trigger } = setup([syncFlow('allSettled', { a: [s.step('a1', true)], b: [s.step('b1')] })], { engine: { nodeTypes: [s.nodeType] } })
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 2)
    s.open('a1')
    s.open('b1')
    const response = await answer
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ mode: 'allSettled', branches: { a: 'error', b: 'resolved' } })
    expect(s.aborted).toEqual([])
    expect((await settledExecution(engine, response)).status).toBe('resolved')
  })

  it('gives each branch its own flow: a condition in one branch steers only that branch', async () => {
    const s = steps()
    const condition = (key: string, value: number, then: NodeDefinition): NodeDefinition => ({
      key,
      type: 'condition',
      config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: [value, 1] }] } } },
      branches: { true: [then], false: [] },
    })
    const { engine, trigger } = setup(
      [syncFlow('all', { a: [condition('ca', 5, s.step('a1'))], b: [condition('cb', 0, s.step('b1'))] })],
      { engine: { nodeTypes: [s.nodeType] } },
    )
    const answer = trigger.fetch(post(idPath('fan'), {}))
    await until(() => s.started.length === 1)
    s.open('a1')
    const response = await answer
    expect(response.status).toBe(200)
    expect(s.started).toEqual(['a1'])
    const jobs = (await settledExecution(engine, response)).jobs
    expect(Object.fromEntries(jobs.map((job) => [job.nodeKey, job.flow?.branch ?? job.status]))).toMatchObject({ ca: 'true', cb: 'false' })
  })
})
