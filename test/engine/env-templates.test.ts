import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type WorkflowDefinition } from '../../src/index.js'
import { definitionProblems, echoNode, runToEnd, workflow } from './helpers.js'
import { idPath, post, setup } from '../helpers/webhook.js'

const names = ['HOOKFLOW_TEST_PUBLIC_URL', 'HOOKFLOW_TEST_SECRET'] as const

beforeEach(() => {
  process.env.HOOKFLOW_TEST_PUBLIC_URL = 'https://example.com'
  process.env.HOOKFLOW_TEST_SECRET = 'do-not-echo'
})
afterEach(() => {
  for (const name of names) delete process.env[name]
})

const echo = (value: unknown): WorkflowDefinition => workflow('env', [{ key: 'e', type: 'test.echo', config: { value } }])

describe('{{$env.NAME}} in templates', () => {
  it('renders an allowed variable in a node config', async () => {
    const engine = createEngine({ nodeTypes: [echoNode], env: ['HOOKFLOW_TEST_PUBLIC_URL'] })
    engine.register(echo('{{$env.HOOKFLOW_TEST_PUBLIC_URL}}/orders'))
    const execution = await runToEnd(engine, 'env')
    expect(execution.jobs[0]?.result).toEqual({ value: 'https://example.com/orders' })
    await engine.close()
  })

  it('reads the variable when the template renders, not at register', async () => {
    const engine = createEngine({ nodeTypes: [echoNode], env: ['HOOKFLOW_TEST_PUBLIC_URL'] })
    engine.register(echo('{{$env.HOOKFLOW_TEST_PUBLIC_URL}}'))
    process.env.HOOKFLOW_TEST_PUBLIC_URL = 'https://changed.example'
    expect((await runToEnd(engine, 'env')).jobs[0]?.result).toEqual({ value: 'https://changed.example' })
    delete process.env.HOOKFLOW_TEST_PUBLIC_URL
    expect((await runToEnd(engine, 'env')).jobs[0]?.result).toEqual({ value: undefined })
    await engine.close()
  })

  it('refuses at register a name that is not allowed, with the path of the template', () => {
    const engine = createEngine({ nodeTypes: [echoNode], env: ['HOOKFLOW_TEST_PUBLIC_URL'] })
    const problems = definitionProblems(engine, echo('{{$env.HOOKFLOW_TEST_SECRET}}'))
    expect(problems).toEqual([{ path: '/nodes/0/config/value', message: expect.stringMatching(/HOOKFLOW_TEST_SECRET is not in the engine's env allow-list/) }])
  })

  it('refuses every $env name when the engine allows none', () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    const problems = definitionProblems(engine, echo('{{$env.HOOKFLOW_TEST_PUBLIC_URL}}'))
    expect(problems[0]?.message).toMatch(/none are allowed/)
  })

  it.each(['{{$env}}', '{{$env.A.b}}', '{{$env[0]}}'])('refuses %s, which does not name one variable', (template) => {
    const engine = createEngine({ nodeTypes: [echoNode], env: ['A'] })
    expect(definitionProblems(engine, echo(template)).map((p) => p.path)).toEqual(['/nodes/0/config/value'])
  })

  it('refuses a secret in a trigger response header at register, so it can never be answered', () => {
    const engine = createEngine({ env: ['HOOKFLOW_TEST_PUBLIC_URL'] })
    const definition: WorkflowDefinition = {
      key: 'leak',
      trigger: { type: 'webhook', id: 'leak', response: { headers: [{ name: 'x-key', value: '{{$env.HOOKFLOW_TEST_SECRET}}' }] } },
      nodes: [],
    }
    expect(definitionProblems(engine, definition).map((p) => p.path)).toEqual(['/trigger/response/headers/0/value'])
  })

  it('answers a webhook with an allowed variable in the trigger response', async () => {
    const definition: WorkflowDefinition = {
      key: 'loc',
      trigger: { type: 'webhook', id: 'loc', response: { statusCode: 202, headers: [{ name: 'location', value: '{{$env.HOOKFLOW_TEST_PUBLIC_URL}}/status' }], body: 'queued' } },
      nodes: [],
    }
    const { trigger } = setup([definition], { engine: { env: ['HOOKFLOW_TEST_PUBLIC_URL'] } })
    const response = await trigger.fetch(post(idPath('loc'), {}))
    expect([response.status, response.headers.get('location')]).toEqual([202, 'https://example.com/status'])
  })

  it('refuses an allow-list entry that is not a variable name', () => {
    expect(() => createEngine({ env: ['NOT-A-NAME'] })).toThrow(/not an environment variable name/)
  })
})
