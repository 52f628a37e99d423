import { describe, expect, it } from 'vitest'
import { createMemoryStore, defineNode, type Store, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { executionIdOf, idPath, post, setup } from '../helpers/webhook.js'

// A resumed run (engine.retry, a delay's wake) walks loops and parallel branches again,
// taking the jobs that resolved before instead of running their nodes twice.

const stores: Array<[string, () => Store]> = [
  ['memory', () => createMemoryStore()],
  ['durable memory', () => Object.assign(createMemoryStore(), { durable: true })],
]

function nodes(failAt: { key: string; run: number }) {
  const runs: Record<string, number> = {}
  const step = defineNode({
    type: 'test.step',
    run: ({ node, config }) => {
      runs[node.key] = (runs[node.key] ?? 0) + 1
      if (node.key === failAt.key && runs[node.key] === failAt.run) throw new Error(`${node.key} failed once`)
      return config
    },
  })
  return { runs, step }
}

describe.each(stores)('replay of inline branches (%s store)', (_name, store) => {
  it('retries a loop from the pass that failed, keeping the passes before', async () => {
    const { runs, step } = nodes({ key: 'b', run: 2 })
    const definition: WorkflowDefinition = {
      key: 'l',
      trigger: { type: 'webhook', id: 'l' },
      nodes: [
        { key: 'each', type: 'loop', config: { target: 3 }, branches: { body: [
          { key: 'a', type: 'test.step', config: { i: '{{$scopes.each.index}}' } },
          { key: 'b', type: 'test.step', config: { i: '{{$scopes.each.index}}' } },
        ] } },
        { key: 'after', type: 'test.step', config: { lastB: '{{$jobsMapByNodeKey.b}}' } },
      ],
    }
    const { engine, trigger } = setup([definition], { engine: { store: store(), nodeTypes: [step] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('l'), {})))
    await engine.idle()
    expect((await engine.getExecution(id))?.status).toBe('error')
    await engine.retry(id)
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('resolved')
    expect(runs).toEqual({ a: 3, b: 4, after: 1 })
    expect(execution?.jobs.map((job) => `${job.nodeKey}${JSON.stringify(job.result)}:${job.status}`)).toEqual([
      'each{"passes":3,"broken":false}:resolved', 'a{"i":0}:resolved', 'b{"i":0}:resolved', 'a{"i":1}:resolved', 'b{"i":1}:resolved',
      'a{"i":2}:resolved', 'b{"i":2}:resolved', 'after{"lastB":{"i":2}}:resolved',
    ])
    expect(execution?.jobs.find((job) => job.nodeKey === 'b' && (job.result as { i: number }).i === 1)?.attempts).toBe(2)
  })

  it('replays a loop that resolved whole, with its passes, when a later node is retried', async () => {
    const { runs, step } = nodes({ key: 'after', run: 1 })
    const definition: WorkflowDefinition = {
      key: 'l',
      trigger: { type: 'webhook', id: 'l' },
      nodes: [
        { key: 'each', type: 'loop', config: { target: 2 }, branches: { body: [{ key: 'a', type: 'test.step', config: { i: '{{$scopes.each.index}}' } }] } },
        { key: 'after', type: 'test.step', config: { lastA: '{{$jobsMapByNodeKey.a}}' } },
      ],
    }
    const { engine, trigger } = setup([definition], { engine: { store: store(), nodeTypes: [step] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('l'), {})))
    await engine.idle()
    await engine.retry(id)
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('resolved')
    expect(runs).toEqual({ a: 2, after: 2 })
    expect(execution?.jobs.at(-1)?.result).toEqual({ lastA: { i: 1 } })
  })

  it('retries only the parallel branch that failed', async () => {
    const { runs, step } = nodes({ key: 'b1', run: 1 })
    const definition: WorkflowDefinition = {
      key: 'p',
      trigger: { type: 'webhook', id: 'p' },
      nodes: [
        { key: 'fan', type: 'parallel', config: { mode: 'all' }, branches: {
          a: [{ key: 'a1', type: 'test.step' }, { key: 'a2', type: 'test.step' }],
          b: [{ key: 'b1', type: 'test.step' }],
        } },
      ],
    }
    const { engine, trigger } = setup([definition], { engine: { store: store(), nodeTypes: [step] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('p'), {})))
    await engine.idle()
    expect((await engine.getExecution(id))?.status).toBe('error')
    await engine.retry(id)
    await engine.idle()
    expect(runs).toEqual({ a1: 1, a2: 1, b1: 2 })
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('resolved')
    expect(execution?.jobs[0]).toMatchObject({ nodeKey: 'fan', status: 'resolved', flow: { inline: { a1: 1, a2: 1, b1: 1 } } })
  })

  it('resumes a delay inside a loop body on each wake, running no pass twice', async () => {
    const { runs, step } = nodes({ key: 'none', run: 0 })
    const definition: WorkflowDefinition = {
      key: 'd',
      trigger: { type: 'webhook', id: 'd' },
      nodes: [
        { key: 'each', type: 'loop', config: { target: 2 }, branches: { body: [
          { key: 'a', type: 'test.step', config: { i: '{{$scopes.each.index}}' } },
          { key: 'nap', type: 'delay', config: { duration: 5 } },
        ] } },
        { key: 'after', type: 'test.step' },
      ],
    }
    const { engine, trigger } = setup([definition], { engine: { store: store(), nodeTypes: [step] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('d'), {})))
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('resolved')
    const execution = await engine.getExecution(id)
    expect(runs).toEqual({ a: 2, after: 1 })
    expect(execution?.attempts).toBe(3)
    expect(execution?.jobs.map((job) => `${job.nodeKey}:${job.status}`)).toEqual(['each:resolved', 'a:resolved', 'nap:resolved', 'a:resolved', 'nap:resolved', 'after:resolved'])
  })

  it('parks a parallel node whose branch delays, then finishes it on wake without re-running the other branch', async () => {
    const { runs, step } = nodes({ key: 'none', run: 0 })
    const definition: WorkflowDefinition = {
      key: 'pd',
      trigger: { type: 'webhook', id: 'pd' },
      nodes: [
        { key: 'fan', type: 'parallel', config: { mode: 'all' }, branches: {
          a: [{ key: 'a1', type: 'test.step' }],
          b: [{ key: 'nap', type: 'delay', config: { duration: 5 } }, { key: 'b2', type: 'test.step' }],
        } },
        { key: 'after', type: 'test.step' },
      ],
    }
    const { engine, trigger } = setup([definition], { engine: { store: store(), nodeTypes: [step] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('pd'), {})))
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('resolved')
    expect(runs).toEqual({ a1: 1, b2: 1, after: 1 })
    const jobs = (await engine.getExecution(id))!.jobs
    expect(jobs.map((job) => `${job.nodeKey}:${job.status}`).sort()).toEqual(['a1:resolved', 'after:resolved', 'b2:resolved', 'fan:resolved', 'nap:resolved'])
    expect(jobs[0]).toMatchObject({ nodeKey: 'fan', result: { mode: 'all', branches: { a: 'resolved', b: 'resolved' } } })
  })
})
