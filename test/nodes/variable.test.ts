import { describe, expect, it } from 'vitest'
import { defineNode } from '../../src/index.js'
import { problemPaths } from '../engine/helpers.js'
import { idPath, post, setup, settledExecution } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

describe('variable node', () => {
  it('declares a variable, assigns it in a branch, and later nodes read the assigned value', async () => {
    const { engine, trigger } = setup([
      syncFlow('vars', [
        { key: 'discount', type: 'variable', config: { value: 0 } },
        {
          key: 'big',
          type: 'condition',
          config: { rejectOnFalse: false, calculation: { calculator: 'gt', operands: ['{{$context.body.total}}', 100] } },
          branches: {
            true: [
              { key: 'tenPercent', type: 'calculation', config: { expression: '$context.body.total * 0.1' } },
              { key: 'setDiscount', type: 'variable', config: { target: 'discount', value: '{{$jobsMapByNodeKey.tenPercent}}' } },
            ],
          },
        },
        answer({ discount: '{{$jobsMapByNodeKey.discount}}' }),
      ]),
    ])
    expect((await callFlow(engine, trigger, 'vars', { total: 50 })).body).toEqual({ discount: 0 })
    const { body, execution } = await callFlow(engine, trigger, 'vars', { total: 250 })
    expect(body).toEqual({ discount: 25 })
    expect(jobOf(execution, 'setDiscount')).toMatchObject({ result: 25, flow: { assign: 'discount' } })
    // The declaring job keeps the value it declared; only what later nodes read changes.
    expect(jobOf(execution, 'discount').result).toBe(0)
  })

  it('declares null when no value is given', async () => {
    const { engine, trigger } = setup([syncFlow('vars', [{ key: 'v', type: 'variable' }, answer({ v: '{{$jobsMapByNodeKey.v}}' })])])
    expect((await callFlow(engine, trigger, 'vars')).body).toEqual({ v: null })
  })

  it('fails with variable_not_declared when assigning to a variable no earlier node declared', async () => {
    const { engine, trigger } = setup([
      syncFlow('vars', [{ key: 'set', type: 'variable', config: { target: 'later', value: 1 } }, { key: 'later', type: 'variable' }, answer('never')]),
    ])
    const { execution } = await callFlow(engine, trigger, 'vars')
    expect(jobOf(execution, 'set').error).toMatchObject({ code: 'variable_not_declared' })
  })

  it('keeps an assigned value when a failed execution is retried from the failed node', async () => {
    let calls = 0
    const flaky = defineNode({
      type: 'test.flaky',
      run: ({ config }) => {
        calls++
        if (calls === 1) throw new Error('first try fails')
        return config
      },
    })
    const { engine, trigger } = setup(
      [{
        key: 'vars',
        trigger: { type: 'webhook', id: 'vars' },
        nodes: [
          { key: 'count', type: 'variable', config: { value: 1 } },
          { key: 'bump', type: 'variable', config: { target: 'count', value: 2 } },
          { key: 'flaky', type: 'test.flaky', config: { seen: '{{$jobsMapByNodeKey.count}}' } },
        ],
      }],
      { engine: { nodeTypes: [flaky] } },
    )
    const first = await settledExecution(engine, await trigger.fetch(post(idPath('vars'), {})))
    expect(first.status).toBe('error')
    await engine.retry(first.id)
    await engine.idle()
    const retried = await engine.getExecution(first.id)
    expect(retried?.status).toBe('resolved')
    expect(jobOf(retried!, 'flaky').result).toEqual({ seen: 2 })
  })

  it('refuses at register a templated target and unknown config keys', () => {
    const { engine } = setup([])
    const paths = problemPaths(engine, syncFlow('vars', [
      { key: 'v', type: 'variable', config: { target: '{{$context.body.t}}' } },
      { key: 'w', type: 'variable', config: { valu: 1 } },
      answer('x'),
    ]))
    expect(paths).toEqual(['/nodes/0/config/target', '/nodes/1/config/valu'])
  })
})
