import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, defineNode, type Engine, type TriggerContext, type WorkflowDefinition } from '../../src/index.js'
import { gate } from './helpers.js'

// A sync run whose nodes all run synchronously settles inside `dispatch`: the answer is on the
// dispatch itself, and `settled` resolves with the same settlement.

const context = (body: Record<string, unknown>): TriggerContext => ({ headers: {}, query: {}, body, params: {} })

const routed: WorkflowDefinition = {
  key: 'routed',
  sync: true,
  trigger: { type: 'webhook', id: 'routed' },
  nodes: [
    {
      key: 'big',
      type: 'condition',
      config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } },
      branches: {
        true: [{ key: 'yes', type: 'response', config: { statusCode: 201, body: { id: '{{$context.body.id}}' } } }],
        false: [{ key: 'no', type: 'response', config: { statusCode: 400 } }],
      },
    },
  ],
}

let engine: Engine | undefined
afterEach(async () => {
  await engine?.close()
  engine = undefined
})

describe('a sync dispatch', () => {
  it('carries the answer when every node ran synchronously, and settled resolves with it', async () => {
    engine = createEngine()
    engine.register(routed)
    const dispatch = await engine.dispatch(engine.getWorkflow('routed')!, context({ amount: 2500, id: 'pay_1' }))
    expect(dispatch.settlement).toEqual({ kind: 'response', response: { statusCode: 201, headers: [], body: { id: 'pay_1' } } })
    expect(await dispatch.settled).toBe(dispatch.settlement)
    const finished = await dispatch.finished!
    expect(finished.status).toBe('resolved')
    expect(finished.jobs.map((job) => job.nodeKey)).toEqual(['big', 'yes'])
    expect((await engine.getExecution(finished.id))?.status).toBe('resolved')
  })

  it('carries a finished settlement when the run ends without a Response node', async () => {
    engine = createEngine()
    engine.register({ ...routed, key: 'silent', trigger: { type: 'webhook', id: 'silent' }, nodes: [{ ...routed.nodes[0]!, branches: {} }] })
    const dispatch = await engine.dispatch(engine.getWorkflow('silent')!, context({ amount: 5 }))
    expect(dispatch.settlement).toEqual({ kind: 'finished', status: 'resolved' })
    expect(await dispatch.settled).toEqual({ kind: 'finished', status: 'resolved' })
  })

  it('has no settlement while a node is still waiting; settled resolves once it answers', async () => {
    const held = gate()
    const waits = defineNode({ type: 'test.waits', run: async () => held.promise })
    engine = createEngine({ nodeTypes: [waits] })
    engine.register({ ...routed, nodes: [{ key: 'wait', type: 'test.waits' }, ...routed.nodes] })
    const dispatch = await engine.dispatch(engine.getWorkflow('routed')!, context({ amount: 2, id: 'pay_2' }))
    expect(dispatch.settlement).toBeUndefined()
    let settled = false
    void dispatch.settled!.then(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    held.open()
    expect(await dispatch.settled).toEqual({ kind: 'response', response: { statusCode: 400, headers: [] } })
    expect((await dispatch.finished!).jobs.map((job) => job.nodeKey)).toEqual(['wait', 'big', 'no'])
  })

  it('settles as an error when a node throws synchronously, and stores the failed job', async () => {
    const throws = defineNode({ type: 'test.throws', run: () => {
      throw new Error('broken on purpose')
    } })
    engine = createEngine({ nodeTypes: [throws] })
    engine.register({ ...routed, nodes: [{ key: 'boom', type: 'test.throws' }, ...routed.nodes] })
    const dispatch = await engine.dispatch(engine.getWorkflow('routed')!, context({ amount: 2500 }))
    expect(dispatch.settlement).toEqual({ kind: 'finished', status: 'error' })
    const finished = await dispatch.finished!
    expect(finished.error?.message).toBe('broken on purpose')
    expect(finished.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['boom', 'error']])
  })
})
