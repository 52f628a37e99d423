import { describe, expect, it } from 'vitest'
import { problemPaths } from '../engine/helpers.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

describe('calculation node', () => {
  it('computes from $context, earlier results and templated variables, and the result is the job result', async () => {
    const { engine, trigger } = setup([
      syncFlow('calc', [
        { key: 'rate', type: 'calculation', config: { expression: '0.2' } },
        {
          key: 'total',
          type: 'calculation',
          config: {
            expression: 'round(sum(prices) * (1 + $jobsMapByNodeKey.rate) + number($context.body.shipping), 2)',
            variables: { prices: '{{$context.body.prices}}' },
          },
        },
        { key: 'label', type: 'calculation', config: { expression: "upper(concat('order-', $context.body.id)) + ' / ' + formatDate($context.body.at, 'DD.MM.YYYY')" } },
        answer({ total: '{{$jobsMapByNodeKey.total}}', label: '{{$jobsMapByNodeKey.label}}' }),
      ]),
    ])
    const { status, body, execution } = await callFlow(engine, trigger, 'calc', { id: 'a7', prices: [10, 5.55], shipping: '4.5', at: '2024-05-01T10:00:00Z' })
    expect(status).toBe(200)
    expect(body).toEqual({ total: 23.16, label: 'ORDER-A7 / 01.05.2024' })
    expect(jobOf(execution, 'total').result).toBe(23.16)
  })

  it('fails the job with the expression error code when evaluation fails', async () => {
    const { engine, trigger } = setup([
      syncFlow('calc', [{ key: 'ratio', type: 'calculation', config: { expression: '$context.body.a / $context.body.b' } }, answer('never')]),
    ])
    const { status, execution } = await callFlow(engine, trigger, 'calc', { a: 1, b: 0 })
    expect(status).toBe(500)
    expect(jobOf(execution, 'ratio').error).toMatchObject({ code: 'expression_evaluation', name: 'ExpressionError' })
  })

  it('cannot reach prototypes through input keys', async () => {
    const { engine, trigger } = setup([
      syncFlow('calc', [{ key: 'peek', type: 'calculation', config: { expression: '$context.body.o[$context.body.k]' } }, answer('never')]),
    ])
    const { execution } = await callFlow(engine, trigger, 'calc', { o: {}, k: '__proto__' })
    expect(jobOf(execution, 'peek').error?.message).toContain('not allowed')
  })

  it("reads $context.body.constructor as the sender's value", async () => {
    const { engine, trigger } = setup([
      syncFlow('calc', [{ key: 'drink', type: 'calculation', config: { expression: 'upper($context.body.constructor)' } }, answer('{{$jobsMapByNodeKey.drink}}')]),
    ])
    const { body } = await callFlow(engine, trigger, 'calc', { constructor: 'Red Bull' })
    expect(body).toBe('RED BULL')
  })

  it('refuses at register a syntax error, an unknown variable, an unknown function and a template in the source', () => {
    const { engine } = setup([])
    const paths = problemPaths(engine, syncFlow('calc', [
      { key: 'a', type: 'calculation', config: { expression: '1 +' } },
      { key: 'b', type: 'calculation', config: { expression: 'price * 2' } },
      { key: 'c', type: 'calculation', config: { expression: 'exec(1)' } },
      { key: 'd', type: 'calculation', config: { expression: '{{$context.body.code}} + 1' } },
      { key: 'e', type: 'calculation', config: { expression: 'x', variables: { 'bad-name': 1, x: 2 } } },
      answer('x'),
    ]))
    expect(paths).toEqual(expect.arrayContaining([
      '/nodes/0/config/expression',
      '/nodes/1/config/expression',
      '/nodes/2/config/expression',
      '/nodes/3/config/expression',
      '/nodes/4/config/variables/bad-name',
    ]))
  })
})
