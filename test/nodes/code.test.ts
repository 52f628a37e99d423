import { describe, expect, it } from 'vitest'
import type { CodeFunction } from '../../src/index.js'
import { definitionProblems } from '../engine/helpers.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from './node-flows.js'

const scoreLead: CodeFunction = ({ args }) => ({ score: (args.employees as number) > 100 ? 9 : 3, who: args.company })

describe('code node', () => {
  it('calls the registered function with rendered args, and its return value is the job result', async () => {
    const { engine, trigger } = setup(
      [syncFlow('lead', [
        { key: 'score', type: 'code', config: { function: 'scoreLead', args: { employees: '{{$context.body.size}}', company: '{{$context.body.name}}' } } },
        answer({ score: '{{$jobsMapByNodeKey.score.score}}', who: '{{$jobsMapByNodeKey.score.who}}' }),
      ])],
      { engine: { functions: { scoreLead } } },
    )
    const { body, execution } = await callFlow(engine, trigger, 'lead', { size: 250, name: 'Acme' })
    expect(body).toEqual({ score: 9, who: 'Acme' })
    expect(jobOf(execution, 'score').result).toEqual({ score: 9, who: 'Acme' })
  })

  it('hands the function the run signal, the execution and earlier results as copies it cannot change', async () => {
    const seen: Array<{ aborted: boolean; workflowKey: string; body: unknown; earlier: unknown; fixed: unknown }> = []
    const inspect: CodeFunction = ({ args, signal, execution, jobs }) => {
      seen.push({ aborted: signal.aborted, workflowKey: execution.workflowKey, body: structuredClone(execution.context.body), earlier: jobs.first, fixed: args.fixed })
      ;(execution.context.body as Record<string, unknown>).changed = true
      ;(args as Record<string, unknown>).fixed = 'changed'
      return 'ok'
    }
    const { engine, trigger } = setup(
      [syncFlow('lead', [
        { key: 'first', type: 'variable', config: { value: 'one' } },
        { key: 'look', type: 'code', config: { function: 'inspect', args: { fixed: 'static' } } },
        { key: 'again', type: 'code', config: { function: 'inspect', args: { fixed: 'static' } } },
        answer({ body: '{{$context.body}}' }),
      ])],
      { engine: { functions: { inspect } } },
    )
    const { body } = await callFlow(engine, trigger, 'lead', { a: 1 })
    expect(seen).toEqual([
      { aborted: false, workflowKey: 'lead', body: { a: 1 }, earlier: 'one', fixed: 'static' },
      { aborted: false, workflowKey: 'lead', body: { a: 1 }, earlier: 'one', fixed: 'static' },
    ])
    expect(body).toEqual({ body: { a: 1 } })
  })

  it('fails the job with the thrown error when the function throws', async () => {
    const reject: CodeFunction = async () => {
      throw Object.assign(new Error('lead is spam'), { code: 'SPAM' })
    }
    const { engine, trigger } = setup([syncFlow('lead', [{ key: 'check', type: 'code', config: { function: 'reject' } }, answer('never')])], { engine: { functions: { reject } } })
    const { status, execution } = await callFlow(engine, trigger, 'lead')
    expect(status).toBe(500)
    expect(jobOf(execution, 'check').error).toEqual({ name: 'Error', message: 'lead is spam', code: 'SPAM' })
  })

  it('refuses at register a function name that is not registered, naming the registered ones', () => {
    const { engine } = setup([], { engine: { functions: { scoreLead } } })
    const problems = definitionProblems(engine, syncFlow('lead', [{ key: 'x', type: 'code', config: { function: 'deleteEverything' } }, answer('x')]))
    expect(problems).toEqual([{ path: '/nodes/0/config/function', message: 'no function "deleteEverything" is registered (registered: scoreLead)' }])
  })

  it('fails with code_function_unknown when a templated name renders to an unregistered function', async () => {
    const { engine, trigger } = setup(
      [syncFlow('lead', [{ key: 'x', type: 'code', config: { function: '{{$context.body.fn}}' } }, answer('never')])],
      { engine: { functions: { scoreLead } } },
    )
    const { execution } = await callFlow(engine, trigger, 'lead', { fn: 'constructor' })
    expect(jobOf(execution, 'x').error).toMatchObject({ code: 'code_function_unknown' })
  })

  it('keeps two engines apart: a function of one is unknown to the other', () => {
    const { engine: withIt } = setup([], { engine: { functions: { scoreLead } } })
    const { engine: without } = setup([])
    const flow = syncFlow('lead', [{ key: 'x', type: 'code', config: { function: 'scoreLead' } }, answer('x')])
    expect(() => withIt.register(flow)).not.toThrow()
    expect(definitionProblems(without, flow)[0]?.message).toContain('registered: none')
  })
})
