import { describe, expect, it } from 'vitest'
import { defineNode } from '../../src/index.js'
import { idPath, post, settledExecution, setup } from '../helpers/webhook.js'

// The flow API a custom node type builds on: inline branch runs, deferred config, parking.

const echo = defineNode({ type: 'test.echo', run: ({ config }) => config })

describe('custom nodes steering the flow', () => {
  it('may take the flow functions apart: each stays bound to its run', async () => {
    const detached = defineNode({
      type: 'test.detached',
      branches: ['yes'],
      run({ flow: { branch, respond, end } }) {
        branch('yes')
        respond({ statusCode: 201, headers: [], body: { detached: true } })
        end('resolved')
      },
    })
    const { trigger } = setup(
      [{ key: 'd', sync: true, trigger: { type: 'webhook', id: 'd' }, nodes: [{ key: 'n', type: 'test.detached', branches: { yes: [{ key: 'e', type: 'test.echo' }] } }] }],
      { engine: { nodeTypes: [detached, echo] } },
    )
    const response = await trigger.fetch(post(idPath('d'), '{}'))
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ detached: true })
  })

  it('run a branch inline with a scope, render a deferred key per use, and see each outcome', async () => {
    const twice = defineNode<{ label: string }>({
      type: 'test.twice',
      branches: ['each'],
      deferredConfig: ['label'],
      async run({ flow }) {
        const outcomes = []
        for (const n of [1, 2]) outcomes.push({ ...(await flow.run('each', { scope: { n } })), label: flow.render('label', { n }) })
        return outcomes
      },
    })
    const { engine, trigger } = setup(
      [{
        key: 'c', sync: true, trigger: { type: 'webhook', id: 'c' },
        nodes: [
          { key: 'twice', type: 'test.twice', config: { label: 'pass {{$scopes.twice.n}} of {{$context.body.of}}' }, branches: { each: [{ key: 'seen', type: 'test.echo', config: { n: '{{$scopes.twice.n}}' } }] } },
          { key: 'answer', type: 'response', config: { body: '{{$jobsMapByNodeKey.twice}}' } },
        ],
      }],
      { engine: { nodeTypes: [twice, echo] } },
    )
    const response = await trigger.fetch(post(idPath('c'), { of: 2 }))
    expect(await response.json()).toEqual([
      { status: 'resolved', ended: false, error: null, label: 'pass 1 of 2' },
      { status: 'resolved', ended: false, error: null, label: 'pass 2 of 2' },
    ])
    const jobs = (await settledExecution(engine, response)).jobs
    expect(jobs.filter((job) => job.nodeKey === 'seen').map((job) => job.result)).toEqual([{ n: 1 }, { n: 2 }])
  })

  it('rejects a branch the node does not have', async () => {
    const wrong = defineNode({ type: 'test.wrong', branches: ['a'], run: ({ flow }) => flow.run('b') })
    const { engine, trigger } = setup([{ key: 'w', trigger: { type: 'webhook', id: 'w' }, nodes: [{ key: 'x', type: 'test.wrong' }] }], { engine: { nodeTypes: [wrong] } })
    const execution = await settledExecution(engine, await trigger.fetch(post(idPath('w'), {})))
    expect(execution.error?.message).toContain('has no branch "b"')
  })

  it('fails a sync execution whose node tries to park it', async () => {
    const sleepy = defineNode({ type: 'test.sleepy', run: ({ flow }) => flow.wait(Date.now() + 1000) })
    const { engine, trigger } = setup(
      [{ key: 's', sync: true, trigger: { type: 'webhook', id: 's' }, nodes: [{ key: 'z', type: 'test.sleepy' }, { key: 'r', type: 'response', config: {} }] }],
      { engine: { nodeTypes: [sleepy] } },
    )
    const response = await trigger.fetch(post(idPath('s'), {}))
    expect(response.status).toBe(500)
    expect((await settledExecution(engine, response)).error?.message).toContain('cannot wait')
  })
})
