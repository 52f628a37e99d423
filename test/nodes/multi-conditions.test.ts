import { describe, expect, it } from 'vitest'
import type { NodeDefinition } from '../../src/index.js'
import { problemPaths } from '../engine/helpers.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

const route: NodeDefinition = {
  key: 'route',
  type: 'multi-conditions',
  config: {
    conditions: [
      { key: 'vip', calculation: { calculator: 'equal', operands: ['{{$context.body.tier}}', 'vip'] } },
      { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.total}}', 1000] }] } } },
      { calculation: { calculator: 'gt', operands: ['{{$context.body.total}}', 100] } },
    ],
  },
  branches: {
    vip: [answer({ lane: 'vip' }, 'a-vip')],
    2: [answer({ lane: 'big' }, 'a-big')],
    3: [{ key: 'note', type: 'calculation', config: { expression: "'medium'" } }],
    otherwise: [answer({ lane: 'small' }, 'a-small')],
  },
}

function routing() {
  return setup([syncFlow('route', [route, answer({ lane: '{{$jobsMapByNodeKey.note}}', after: true }, 'after')])])
}

describe('multi-conditions node', () => {
  it.each([
    [{ tier: 'vip', total: 5000 }, { lane: 'vip' }, 'vip'],
    [{ tier: 'basic', total: 5000 }, { lane: 'big' }, '2'],
    [{ tier: 'basic', total: 10 }, { lane: 'small' }, 'otherwise'],
  ])('for %j runs the first matching branch, answering %j', async (input, expected, branch) => {
    const { engine, trigger } = routing()
    const { body, execution } = await callFlow(engine, trigger, 'route', input)
    expect(body).toEqual(expected)
    expect(jobOf(execution, 'route').result).toBe(branch)
    expect(jobOf(execution, 'route').flow).toEqual({ branch })
  })

  it('continues after the node when the branch that ran does not end the execution', async () => {
    const { engine, trigger } = routing()
    const { body } = await callFlow(engine, trigger, 'route', { total: 500 })
    expect(body).toEqual({ lane: 'medium', after: true })
  })

  it('runs nothing and continues when no condition matches and there is no otherwise branch', async () => {
    const { engine, trigger } = setup([syncFlow('route', [
      { key: 'm', type: 'multi-conditions', config: { conditions: [{ calculation: { calculator: 'equal', operands: [1, 2] } }] }, branches: { 1: [answer('one', 'one')] } },
      answer('none matched', 'after'),
    ])])
    const { body, execution } = await callFlow(engine, trigger, 'route')
    expect(body).toBe('none matched')
    expect(jobOf(execution, 'm').result).toBe('otherwise')
  })

  it('refuses at register a branch that names no condition, a duplicate key and an empty list', () => {
    const { engine } = setup([])
    const paths = problemPaths(engine, syncFlow('route', [
      { key: 'm', type: 'multi-conditions', config: { conditions: [{ calculation: { calculator: 'equal', operands: [1, 1] } }] }, branches: { 2: [], vip: [] } },
      { key: 'n', type: 'multi-conditions', config: { conditions: [
        { key: 'a', calculation: { calculator: 'equal', operands: [1, 1] } },
        { key: 'a', calculation: { calculator: 'equal', operands: [1, 1] } },
      ] } },
      { key: 'o', type: 'multi-conditions', config: { conditions: [] } },
      answer('x'),
    ]))
    expect(paths).toEqual(expect.arrayContaining(['/nodes/0/branches/2', '/nodes/0/branches/vip', '/nodes/1/config/conditions/1/key', '/nodes/2/config/conditions']))
  })
})
