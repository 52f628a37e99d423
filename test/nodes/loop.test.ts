import { describe, expect, it } from 'vitest'
import { defineNode, type AnyNodeDefinition as NodeDefinition, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { idPath, post, settledExecution, setup } from '../helpers/webhook.js'

// Loops through real webhook requests: a sync workflow answers with what the body saw.

function syncFlow(nodes: NodeDefinition[]): WorkflowDefinition {
  return { key: 'loops', sync: true, trigger: { type: 'webhook', id: 'loops' }, nodes }
}

/** Records the rendered config of every run, in order. */
function collector() {
  const seen: unknown[] = []
  const nodeType = defineNode({ type: 'test.collect', run: ({ config }) => (seen.push(config), config) })
  return { seen, nodeType }
}

const answer: NodeDefinition = {
  key: 'answer',
  type: 'response',
  config: { statusCode: 200, body: { loop: '{{$jobsMapByNodeKey.each}}' } },
}

const lessThan = (index: number) => ({
  group: { type: 'and', calculations: [{ calculator: 'lt', operands: ['{{$scopes.each.index}}', index] }] },
})

function loop(config: Record<string, unknown>, body: NodeDefinition[]): NodeDefinition {
  return { key: 'each', type: 'loop', config, branches: { body } }
}

const collect = (config: Record<string, unknown> = { item: '{{$scopes.each.item}}', index: '{{$scopes.each.index}}' }): NodeDefinition => ({
  key: 'collect',
  type: 'test.collect',
  config,
})

describe('loop node', () => {
  it('runs its body once per array item with $scopes item and index, then goes on', async () => {
    const { seen, nodeType } = collector()
    const { engine, trigger } = setup([syncFlow([loop({ target: '{{$context.body.items}}' }, [collect()]), answer])], {
      engine: { nodeTypes: [nodeType] },
    })
    const response = await trigger.fetch(post(idPath('loops'), { items: ['a', 'b', 'c'] }))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ loop: { passes: 3, broken: false } })
    expect(seen).toEqual([{ item: 'a', index: 0 }, { item: 'b', index: 1 }, { item: 'c', index: 2 }])
    const execution = await settledExecution(engine, response)
    // The loop's job comes first: its index is taken when its first pass starts.
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['each', 'collect', 'collect', 'collect', 'answer'])
    expect(execution.jobs.map((job) => job.index)).toEqual([0, 1, 2, 3, 4])
  })

  it('counts 0 .. n-1 for a number and walks the characters of a string', async () => {
    const { seen, nodeType } = collector()
    const { trigger } = setup([syncFlow([loop({ target: '{{$context.body.n}}' }, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    await trigger.fetch(post(idPath('loops'), { n: 3 }))
    await trigger.fetch(post(idPath('loops'), { n: 'hé!' }))
    expect(seen.map((s) => (s as { item: unknown }).item)).toEqual([0, 1, 2, 'h', 'é', '!'])
  })

  it('runs no pass for an empty array or null', async () => {
    const { seen, nodeType } = collector()
    const { trigger } = setup([syncFlow([loop({ target: '{{$context.body.items}}' }, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('loops'), { items: [] }))
    expect(await response.json()).toEqual({ loop: { passes: 0, broken: false } })
    await trigger.fetch(post(idPath('loops'), {}))
    expect(seen).toEqual([])
  })

  it('breaks when a condition checked before a pass is false', async () => {
    const { seen, nodeType } = collector()
    const config = { target: '{{$context.body.items}}', condition: { checkpoint: 'before', exit: 'break', calculation: lessThan(2) } }
    const { trigger } = setup([syncFlow([loop(config, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('loops'), { items: [10, 20, 30, 40] }))
    expect(await response.json()).toEqual({ loop: { passes: 2, broken: true } })
    expect(seen).toEqual([{ item: 10, index: 0 }, { item: 20, index: 1 }])
  })

  it('skips the passes whose condition is false with exit continue', async () => {
    const { seen, nodeType } = collector()
    const odd = { group: { type: 'and', calculations: [{ calculator: 'includes', operands: [[1, 3], '{{$scopes.each.item}}'] }] } }
    const config = { target: 5, condition: { exit: 'continue', calculation: odd } }
    const { trigger } = setup([syncFlow([loop(config, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('loops'), {}))
    expect(await response.json()).toEqual({ loop: { passes: 2, broken: false } })
    expect(seen.map((s) => (s as { item: unknown }).item)).toEqual([1, 3])
  })

  it('checks a condition after each pass: the failing pass has run, then it breaks', async () => {
    const { seen, nodeType } = collector()
    const config = { target: 10, condition: { checkpoint: 'after', calculation: lessThan(2) } }
    const { trigger } = setup([syncFlow([loop(config, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('loops'), {}))
    expect(await response.json()).toEqual({ loop: { passes: 3, broken: true } })
    expect(seen).toHaveLength(3)
  })

  it('gives nested loops each their own scope by key', async () => {
    const { seen, nodeType } = collector()
    const inner: NodeDefinition = {
      key: 'inner',
      type: 'loop',
      config: { target: '{{$scopes.each.item.tags}}' },
      branches: { body: [collect({ order: '{{$scopes.each.item.id}}', outer: '{{$scopes.each.index}}', tag: '{{$scopes.inner.item}}', inner: '{{$scopes.inner.index}}' })] },
    }
    const { engine, trigger } = setup([syncFlow([loop({ target: '{{$context.body.orders}}' }, [inner]), answer])], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('loops'), { orders: [{ id: 'o1', tags: ['x', 'y'] }, { id: 'o2', tags: ['z'] }] }))
    expect(response.status).toBe(200)
    expect(seen).toEqual([
      { order: 'o1', outer: 0, tag: 'x', inner: 0 },
      { order: 'o1', outer: 0, tag: 'y', inner: 1 },
      { order: 'o2', outer: 1, tag: 'z', inner: 0 },
    ])
    const execution = await settledExecution(engine, response)
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['each', 'inner', 'collect', 'collect', 'inner', 'collect', 'answer'])
  })

  it('fails the job clearly past the engine-wide maxLoopIterations', async () => {
    const { seen, nodeType } = collector()
    const { engine, trigger } = setup([syncFlow([loop({ target: '{{$context.body.n}}' }, [collect()]), answer])], {
      engine: { nodeTypes: [nodeType], maxLoopIterations: 5 },
    })
    expect((await trigger.fetch(post(idPath('loops'), { n: 5 }))).status).toBe(200)
    const response = await trigger.fetch(post(idPath('loops'), { n: 6 }))
    expect(response.status).toBe(500)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    const job = execution.jobs.find((j) => j.nodeKey === 'each')
    expect(job?.status).toBe('error')
    expect(job?.error).toMatchObject({ code: 'iteration_limit', message: expect.stringContaining('maxLoopIterations') })
    expect(seen).toHaveLength(5)
  })

  it('errors with the body when a body node throws, running no later pass', async () => {
    const { seen, nodeType } = collector()
    const boom = defineNode({
      type: 'test.boom',
      run: ({ config }) => {
        if ((config as { index: number }).index === 1) throw Object.assign(new Error('bad item'), { code: 'bad_item' })
      },
    })
    const { engine, trigger } = setup(
      [syncFlow([loop({ target: 3 }, [collect(), { key: 'check', type: 'test.boom', config: { index: '{{$scopes.each.index}}' } }]), answer])],
      { engine: { nodeTypes: [nodeType, boom] } },
    )
    const response = await trigger.fetch(post(idPath('loops'), {}))
    expect(response.status).toBe(500)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    expect(execution.error).toMatchObject({ message: 'bad item', code: 'bad_item' })
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([
      ['each', 'error'], ['collect', 'resolved'], ['check', 'resolved'], ['collect', 'resolved'], ['check', 'error'],
    ])
    expect(seen).toHaveLength(2)
  })

  it('ends the whole execution when an End node in the body runs', async () => {
    const { seen, nodeType } = collector()
    const { engine, trigger } = setup(
      [syncFlow([loop({ target: 3 }, [collect(), { key: 'stop', type: 'end', config: { endStatus: 'failed' } }]), answer])],
      { engine: { nodeTypes: [nodeType] } },
    )
    const response = await trigger.fetch(post(idPath('loops'), {}))
    expect(response.status).toBe(500)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('failed')
    expect(seen).toHaveLength(1)
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['each', 'failed'], ['collect', 'resolved'], ['stop', 'failed']])
  })

  it('accepts NocoBase spellings: checkpoint 1 and continueOnFalse', async () => {
    const { seen, nodeType } = collector()
    const odd = { group: { type: 'and', calculations: [{ calculator: 'includes', operands: [[1, 3], '{{$scopes.each.item}}'] }] } }
    const config = { target: 5, condition: { checkpoint: 0, continueOnFalse: true, calculation: odd } }
    const { trigger } = setup([syncFlow([loop(config, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    await trigger.fetch(post(idPath('loops'), {}))
    expect(seen.map((s) => (s as { item: unknown }).item)).toEqual([1, 3])
  })

  for (const [exit, expected] of [[1, { passes: 2, broken: true, seen: 2 }], [2, { passes: 3, broken: false, seen: 3 }]] as const) {
    it(`handles a failing body with exit ${exit} (NocoBase): ${exit === 1 ? 'leaves the loop' : 'goes on with the next pass'} and the workflow`, async () => {
      const { seen, nodeType } = collector()
      const boom = defineNode({
        type: 'test.boom',
        run: ({ config }) => {
          if ((config as { index: number }).index === 1) throw new Error('bad item')
        },
      })
      const { engine, trigger } = setup(
        [syncFlow([loop({ target: 3, exit }, [collect(), { key: 'check', type: 'test.boom', config: { index: '{{$scopes.each.index}}' } }]), answer])],
        { engine: { nodeTypes: [nodeType, boom] } },
      )
      const response = await trigger.fetch(post(idPath('loops'), {}))
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ loop: { passes: expected.passes, broken: expected.broken } })
      expect(seen).toHaveLength(expected.seen)
      const execution = await settledExecution(engine, response)
      expect(execution.status).toBe('resolved')
      expect(execution.jobs.filter((job) => job.status === 'error').map((job) => job.nodeKey)).toEqual(['check'])
    })
  }

  it('runs one pass without a target, as NocoBase does', async () => {
    const { seen, nodeType } = collector()
    const { trigger } = setup([syncFlow([loop({}, [collect()]), answer])], { engine: { nodeTypes: [nodeType] } })
    await trigger.fetch(post(idPath('loops'), {}))
    expect(seen).toEqual([{ item: 0, index: 0 }])
  })
})
