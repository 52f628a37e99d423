import { describe, it, expect } from 'vitest'
import { createEngine, defineNode } from '../../src/index.js'
import type { ExecutionStatus } from '../../src/index.js'
import { echoNode, runToEnd, workflow } from './helpers.js'

describe('engine.trigger and the execution record', () => {
  it('returns the stored execution, queued, for an async workflow', async () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'test.echo' }]))
    const created = await engine.trigger('w', { body: { id: 1 } })
    expect(created).toMatchObject({ workflowKey: 'w', status: 'queued', sync: false })
    expect(created.context.body).toEqual({ id: 1 })
    const stored = await engine.getExecution(created.id)
    expect(stored?.id).toBe(created.id)
    await engine.idle()
  })

  it('marks an execution started while its nodes run', async () => {
    const seen: ExecutionStatus[] = []
    const engine = createEngine({
      nodeTypes: [
        defineNode({
          type: 'test.peek',
          run: async ({ execution }) => {
            seen.push((await engine.getExecution(execution.id))?.status as ExecutionStatus)
            return null
          },
        }),
      ],
    })
    engine.register(workflow('w', [{ key: 'a', type: 'test.peek' }]))
    await runToEnd(engine, 'w')
    expect(seen).toEqual(['started'])
  })

  it('ends an async execution that ran every node as resolved', async () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('resolved')
    expect(execution.finishedAt).toEqual(expect.any(Number))
  })

  it('resolves a workflow without nodes', async () => {
    const engine = createEngine()
    engine.register(workflow('empty'))
    expect((await runToEnd(engine, 'empty')).status).toBe('resolved')
  })

  it('records one job per node run with nodeKey, type, status, result, error and times', async () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    engine.register(workflow('w', [
      { key: 'first', type: 'test.echo', config: { n: 1 } },
      { key: 'second', type: 'test.echo', config: { n: 2 } },
    ]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.jobs).toHaveLength(2)
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'first', type: 'test.echo', status: 'resolved', result: { n: 1 }, error: null })
    expect(execution.jobs[1]).toMatchObject({ nodeKey: 'second', type: 'test.echo', status: 'resolved', result: { n: 2 }, error: null })
    for (const job of execution.jobs) {
      expect(job.startedAt).toEqual(expect.any(Number))
      expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt)
    }
  })

  it('creates at most one execution per eventKey and returns the first for a repeat', async () => {
    const engine = createEngine()
    engine.register(workflow('w'))
    const first = await engine.trigger('w', {}, { eventKey: 'evt-1' })
    const again = await engine.trigger('w', {}, { eventKey: 'evt-1' })
    await engine.idle()
    expect(again.id).toBe(first.id)
    expect(await engine.listExecutions()).toHaveLength(1)
  })

  it('refuses to trigger a key that is not registered', async () => {
    await expect(createEngine().trigger('nope')).rejects.toThrow()
  })

  it('refuses to trigger a disabled workflow', async () => {
    const engine = createEngine()
    engine.register(workflow('off', [], { enabled: false }))
    await expect(engine.trigger('off')).rejects.toThrow()
  })

  it('gives undefined for an unknown execution id', async () => {
    expect(await createEngine().getExecution('no-such-id')).toBeUndefined()
  })
})

describe('node results and failures', () => {
  it('feeds a custom node result to a later node through $jobsMapByNodeKey', async () => {
    const score = defineNode({ type: 'acme.score', run: async () => ({ score: 7, tags: ['a', 'b'] }) })
    const engine = createEngine({ nodeTypes: [score, echoNode] })
    engine.register(workflow('w', [
      { key: 'score', type: 'acme.score' },
      { key: 'use', type: 'test.echo', config: { score: '{{$jobsMapByNodeKey.score.score}}', tag: '{{$jobsMapByNodeKey.score.tags[1]}}' } },
    ]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.jobs[1]?.result).toEqual({ score: 7, tag: 'b' })
  })

  it('gives a node the results of earlier nodes in `jobs`', async () => {
    let jobs: unknown
    const peek = defineNode({ type: 'test.peek', run: (args) => { jobs = { ...args.jobs }; return null } })
    const engine = createEngine({ nodeTypes: [peek, echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'test.echo', config: { v: 1 } }, { key: 'b', type: 'test.peek' }]))
    await runToEnd(engine, 'w')
    expect(jobs).toEqual({ a: { v: 1 } })
  })

  it('validates a rendered config against configSchema and fails the job when it does not match', async () => {
    let ran = false
    const typed = defineNode<{ amount: number }>({
      type: 'acme.typed',
      configSchema: { type: 'object', properties: { amount: { type: 'number' } } },
      run: () => { ran = true; return null },
    })
    const engine = createEngine({ nodeTypes: [typed] })
    engine.register(workflow('w', [{ key: 'a', type: 'acme.typed', config: { amount: '{{$context.body.amount}}' } }]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 'lots' } })
    expect(ran).toBe(false)
    expect(execution.status).toBe('error')
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'a', status: 'error', result: null })
    expect(execution.jobs[0]?.error?.message).toEqual(expect.any(String))
  })

  it('runs a node whose rendered config matches configSchema', async () => {
    const typed = defineNode<{ amount: number }>({
      type: 'acme.typed',
      configSchema: { type: 'object', properties: { amount: { type: 'number' } } },
      run: ({ config }) => config.amount * 2,
    })
    const engine = createEngine({ nodeTypes: [typed] })
    engine.register(workflow('w', [{ key: 'a', type: 'acme.typed', config: { amount: '{{$context.body.amount}}' } }]))
    const execution = await runToEnd(engine, 'w', { body: { amount: 21 } })
    expect(execution.jobs[0]?.result).toBe(42)
  })

  it('makes the job and the execution error, with the message, when a node throws', async () => {
    const boom = defineNode({ type: 'acme.boom', run: async () => { throw new Error('card declined') } })
    const engine = createEngine({ nodeTypes: [boom, echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'acme.boom' }, { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('error')
    expect(execution.error?.message).toBe('card declined')
    expect(execution.jobs).toHaveLength(1)
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'a', status: 'error', error: { message: 'card declined' } })
  })

  it('makes the execution error when a node throws synchronously', async () => {
    const boom = defineNode({ type: 'acme.boom', run: () => { throw new TypeError('bad input') } })
    const engine = createEngine({ nodeTypes: [boom] })
    engine.register(workflow('w', [{ key: 'a', type: 'acme.boom' }]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('error')
    expect(execution.jobs[0]?.error?.message).toBe('bad input')
  })
})

describe('workflow timeout', () => {
  function slowEngine() {
    const seen = { fired: false, reason: undefined as unknown }
    const slow = defineNode({
      type: 'acme.slow',
      run: ({ signal }) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            seen.fired = true
            seen.reason = signal.reason
            resolve('too late')
          })
        }),
    })
    const engine = createEngine({ nodeTypes: [slow, echoNode] })
    engine.register(workflow('w', [{ key: 'slow', type: 'acme.slow' }, { key: 'after', type: 'test.echo' }], { options: { timeout: 20 } }))
    return { engine, seen }
  }

  it('aborts the execution with reason timeout when options.timeout passes', async () => {
    const { engine } = slowEngine()
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('aborted')
    expect(execution.reason).toBe('timeout')
  })

  it('fires the AbortSignal handed to the running node', async () => {
    const { engine, seen } = slowEngine()
    await runToEnd(engine, 'w')
    expect(seen.fired).toBe(true)
  })

  it('records the running node as an aborted job and runs nothing after it', async () => {
    const { engine } = slowEngine()
    const execution = await runToEnd(engine, 'w')
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['slow', 'aborted']])
  })

  it('does not abort a run that ends before the timeout', async () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'test.echo' }], { options: { timeout: 60_000 } }))
    expect((await runToEnd(engine, 'w')).status).toBe('resolved')
  })
})
