import { describe, expect, it } from 'vitest'
import { createEngine, type NodeDefinition, type WorkflowDefinition, type WorkflowWarning } from '../../src/index.js'
import { idPath, post, setup } from '../helpers/webhook.js'
import { definitionProblems } from './helpers.js'

// Registration checks of sync workflows: every path should reach a Response node.

const respond = (key: string): NodeDefinition => ({ key, type: 'response', config: { statusCode: 200, body: key } })
const check = (key: string, branches: Record<string, NodeDefinition[]>): NodeDefinition => ({
  key,
  type: 'condition',
  config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.ok}}', true] }] } } },
  branches,
})

function syncFlow(nodes: NodeDefinition[], options: WorkflowDefinition['options'] = {}): WorkflowDefinition {
  return { key: 'paths', sync: true, options, trigger: { type: 'webhook', id: 'paths' }, nodes }
}

function warningsOf(definition: WorkflowDefinition): WorkflowWarning[] {
  const engine = createEngine()
  const warnings: WorkflowWarning[] = []
  engine.on('warning', (warning) => warnings.push(warning))
  engine.register(definition)
  expect(engine.getWorkflow(definition.key)?.warnings).toEqual(warnings)
  return warnings
}

describe('sync workflows without a Response node on some path', () => {
  it('warns through the engine\'s warning event, listing the path through the branch that lacks one', () => {
    const warnings = warningsOf(syncFlow([check('ok', { true: [respond('yes')] }), { key: 'log', type: 'end' }]))
    expect(warnings).toEqual([
      { code: 'no_response_on_path', workflowKey: 'paths', path: ['ok:false', 'log'], message: expect.stringContaining('ok:false > log') },
    ])
  })

  it('does not warn when every path answers, after a branch or at the end', () => {
    expect(warningsOf(syncFlow([check('ok', { true: [respond('yes')], false: [respond('no')] })]))).toEqual([])
    expect(warningsOf(syncFlow([check('ok', { true: [respond('yes')] }), respond('fallback')]))).toEqual([])
  })

  it('follows a branch that ends the execution without an answer', () => {
    const warnings = warningsOf(syncFlow([check('ok', { false: [{ key: 'stop', type: 'end' }] }), respond('done')]))
    expect(warnings.map((w) => w.path)).toEqual([['ok:false', 'stop']])
  })

  it('warns about a workflow with no nodes at all, and never about async ones', () => {
    expect(warningsOf(syncFlow([])).map((w) => w.path)).toEqual([[]])
    expect(warningsOf({ key: 'a', trigger: { type: 'webhook', id: 'a' }, nodes: [{ key: 'stop', type: 'end' }] })).toEqual([])
  })

  it('refuses the workflow with strictResponses: true on the engine, listing the path', () => {
    const engine = createEngine({ strictResponses: true })
    const problems = definitionProblems(engine, syncFlow([{ key: 'fan', type: 'parallel', branches: { a: [respond('a')], b: [] } }]))
    expect(problems).toEqual([{ path: '/nodes', message: expect.stringContaining('fan:b') }])
    expect(engine.getWorkflow('paths')).toBeUndefined()
  })

  it('refuses it with options.strictResponses on the workflow, and lets the workflow opt out', () => {
    expect(definitionProblems(createEngine(), syncFlow([], { strictResponses: true }))[0]?.path).toBe('/nodes')
    expect(() => createEngine({ strictResponses: true }).register(syncFlow([], { strictResponses: false }))).not.toThrow()
  })

  it('still answers such a workflow with the default status mapping', async () => {
    const { trigger } = setup([syncFlow([check('ok', { true: [respond('yes')] })])])
    expect(await (await trigger.fetch(post(idPath('paths'), { ok: true }))).text()).toBe('yes')
    const fallback = await trigger.fetch(post(idPath('paths'), { ok: false }))
    expect(fallback.status).toBe(200)
    expect(await fallback.json()).toMatchObject({ status: 'resolved' })
  })
})
