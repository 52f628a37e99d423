import { describe, it, expect } from 'vitest'
import { createEngine } from '../../src/index.js'
import { echoNode, runToEnd, workflow } from '../engine/helpers.js'

describe('end node', () => {
  // Registering the same key again replaces the workflow, so one engine serves every test.
  const engine = createEngine({ nodeTypes: [echoNode] })

  it('ends the execution as failed with endStatus failed and runs nothing after it', async () => {
    engine.register(workflow('w', [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }, { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('failed')
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['stop', 'failed']])
  })

  it('ends the execution as resolved by default and runs nothing after it', async () => {
    engine.register(workflow('w', [{ key: 'stop', type: 'end' }, { key: 'after', type: 'test.echo' }]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['stop'])
  })

  it('stops the whole execution, not just the branch, when reached inside a branch', async () => {
    engine.register(workflow('w', [
      {
        key: 'check', type: 'condition',
        config: { rejectOnFalse: false, calculation: { calculator: 'equal', operands: [1, 1] } },
        branches: { true: [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }, { key: 'in-branch', type: 'test.echo' }] },
      },
      { key: 'after', type: 'test.echo' },
    ]))
    const execution = await runToEnd(engine, 'w')
    expect(execution.status).toBe('failed')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['check', 'stop'])
  })

  it('refuses an endStatus other than resolved or failed at register', () => {
    expect(() => engine.register(workflow('w', [{ key: 'stop', type: 'end', config: { endStatus: 'maybe' } }]))).toThrow(
      expect.objectContaining({ name: 'WorkflowDefinitionError' }),
    )
  })
})
