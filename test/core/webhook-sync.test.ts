import { describe, expect, it } from 'vitest'
import { type AnyNodeType, type AnyWorkflowDefinition, defineNode, type NodeDefinition } from '../../src/index.js'
import {
  deferred,
  executionIdOf,
  expectErrorBody,
  idPath,
  post,
  settledExecution,
  setup,
} from '../helpers/webhook.js'

function syncFlow(nodes: Array<NodeDefinition<AnyNodeType>>, extra: Partial<AnyWorkflowDefinition['trigger']> = {}): AnyWorkflowDefinition {
  return { key: 'flow', sync: true, trigger: { type: 'webhook', id: 'flow', ...extra }, nodes }
}

const path = idPath('flow')

const echo = defineNode<{ value?: unknown }>({ type: 'test.echo', run: ({ config }) => ({ echoed: config.value }) })
const boom = defineNode({
  type: 'test.boom',
  run: () => {
    throw new Error('node exploded')
  },
})

/** A node that waits until its signal fires, and remembers that it did. */
function hangingNode() {
  const started = deferred()
  const seen: { aborted: boolean; reason: unknown } = { aborted: false, reason: undefined }
  const nodeType = defineNode({
    type: 'test.hang',
    run: ({ signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            seen.aborted = true
            seen.reason = signal.reason
            reject(signal.reason)
          },
          { once: true },
        )
        started.resolve()
      }),
  })
  return { nodeType, started: started.promise, seen }
}

const routing = syncFlow([
  {
    key: 'big',
    type: 'condition',
    config: {
      rejectOnFalse: false,
      engine: 'basic',
      calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } },
    },
    branches: {
      true: [
        {
          key: 'ok',
          type: 'response',
          config: {
            statusCode: 201,
            headers: [{ name: 'x-order', value: 'order-{{$context.body.id}}' }],
            body: { ok: true, id: '{{$context.body.id}}', amount: '{{$context.body.amount}}' },
          },
        },
      ],
      false: [
        {
          key: 'bad',
          type: 'response',
          config: {
            statusCode: 422,
            headers: [{ name: 'x-reason', value: 'too small: {{$context.body.amount}}' }],
            body: { ok: false, amount: '{{$context.body.amount}}' },
          },
        },
      ],
    },
  },
])

describe('WebhookTrigger sync workflows: Response nodes', () => {
  it('answers with the true branch Response node: status, templated headers and JSON body', async () => {
    const { engine, trigger } = setup([routing])
    const response = await trigger.fetch(post(path, { id: 'A1', amount: 1500 }))
    expect(response.status).toBe(201)
    expect(response.headers.get('x-order')).toBe('order-A1')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ ok: true, id: 'A1', amount: 1500 })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([
      ['big', 'resolved'],
      ['ok', 'resolved'],
    ])
    expect(execution.jobs[0]!.result).toBe(true)
    expect(execution.response).toMatchObject({ statusCode: 201, body: { ok: true, id: 'A1', amount: 1500 } })
  })

  it('answers with the false branch Response node: status, templated headers and JSON body', async () => {
    const { engine, trigger } = setup([routing])
    const response = await trigger.fetch(post(path, { id: 'A2', amount: 10 }))
    expect(response.status).toBe(422)
    expect(response.headers.get('x-reason')).toBe('too small: 10')
    expect(await response.json()).toEqual({ ok: false, amount: 10 })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([
      ['big', 'resolved'],
      ['bad', 'resolved'],
    ])
    expect(execution.jobs[0]!.result).toBe(false)
  })

  it('carries X-Execution-Id naming the stored execution on a Response node answer', async () => {
    const { engine, trigger } = setup([routing])
    const response = await trigger.fetch(post(path, { id: 'A1', amount: 1500 }))
    const execution = await settledExecution(engine, response)
    expect(execution.id).toBe(response.headers.get('x-execution-id'))
    expect(execution.workflowKey).toBe('flow')
    expect(execution.sync).toBe(true)
  })

  it('answers with a Response node (end: false) and still runs the next node', async () => {
    const release = deferred()
    const after = defineNode({
      type: 'test.after',
      run: async () => {
        await release.promise
        return { after: true }
      },
    })
    const { engine, trigger } = setup(
      [
        syncFlow([
          { key: 'early', type: 'response', config: { statusCode: 200, body: { early: true }, end: false } },
          { key: 'later', type: 'test.after' },
        ]),
      ],
      { engine: { nodeTypes: [after] } },
    )
    // The answer comes while `later` is still waiting.
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ early: true })
    release.resolve()
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([
      ['early', 'resolved'],
      ['later', 'resolved'],
    ])
    expect(execution.jobs[1]!.result).toEqual({ after: true })
  })

  it('records a second Response node but sends only the first', async () => {
    const { engine, trigger } = setup([
      syncFlow([
        { key: 'first', type: 'response', config: { statusCode: 200, body: 'first', end: false } },
        { key: 'second', type: 'response', config: { statusCode: 201, body: 'second' } },
      ]),
    ])
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('first')
    const execution = await settledExecution(engine, response)
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([
      ['first', 'resolved'],
      ['second', 'resolved'],
    ])
    expect(execution.jobs[1]!.result).toMatchObject({ statusCode: 201, body: 'second' })
    expect(execution.response).toMatchObject({ statusCode: 200, body: 'first' })
  })

  it('fails the Response node whose templated header renders with CR/LF, never sending it', async () => {
    const { engine, trigger } = setup([
      syncFlow([
        { key: 'reply', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-echo', value: '{{$context.body.v}}' }], body: 'ok' } },
      ]),
    ])
    const response = await trigger.fetch(post(path, { v: 'a\r\nset-cookie: evil=1' }))
    expect(response.status).toBe(500)
    expect(response.headers.get('x-echo')).toBeNull()
    expect(response.headers.get('set-cookie')).toBeNull()
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'reply', status: 'error' })
  })
})

describe('WebhookTrigger sync workflows: templated header values', () => {
  it('leaves out a header whose whole-value template names a missing variable', async () => {
    const { trigger } = setup([
      syncFlow([
        { key: 'reply', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-request-id', value: '{{$context.headers.x-request-id}}' }], body: 'ok' } },
      ], { request: { headers: [{ key: 'x-request-id' }] } }),
    ])
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(200)
    expect(response.headers.has('x-request-id')).toBe(false)
    expect(await response.text()).toBe('ok')
  })

  it('sends a number from a whole-value template as its text', async () => {
    const { trigger } = setup([
      syncFlow([{ key: 'reply', type: 'response', config: { headers: [{ name: 'x-amount', value: '{{$context.body.amount}}' }], body: 'ok' } }]),
    ])
    const response = await trigger.fetch(post(path, { amount: 2500 }))
    expect(response.headers.get('x-amount')).toBe('2500')
  })
})

describe('WebhookTrigger sync workflows: runs without a Response node', () => {
  it('answers 200 { executionId, status: resolved } when the run resolves without a Response node', async () => {
    const { engine, trigger } = setup([syncFlow([{ key: 'echo', type: 'test.echo', config: { value: 1 } }])], {
      engine: { nodeTypes: [echo] },
    })
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const id = executionIdOf(response)
    expect(await response.json()).toEqual({ executionId: id, status: 'resolved' })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.jobs).toHaveLength(1)
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'echo', status: 'resolved', result: { echoed: 1 } })
  })

  it('fails the execution and answers 500 { executionId, status: failed } when rejectOnFalse meets false', async () => {
    const { engine, trigger } = setup([
      syncFlow([
        {
          key: 'check',
          type: 'condition',
          config: {
            rejectOnFalse: true,
            calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.kind}}', 'paid'] }] } },
          },
        },
        { key: 'reply', type: 'response', config: { statusCode: 200, body: { ok: true } } },
      ]),
    ])
    const response = await trigger.fetch(post(path, { kind: 'refund' }))
    expect(response.status).toBe(500)
    const id = executionIdOf(response)
    expect(await response.json()).toEqual({ executionId: id, status: 'failed' })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('failed')
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([['check', 'failed']])
  })

  it('answers 500 { executionId, status: failed } for an End node with endStatus failed', async () => {
    const { engine, trigger } = setup([syncFlow([{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }])])
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(500)
    const id = executionIdOf(response)
    expect(await response.json()).toEqual({ executionId: id, status: 'failed' })
    expect((await settledExecution(engine, response)).status).toBe('failed')
  })

  it('answers 500 { executionId, status: error } when a node throws, recording the job as error', async () => {
    const { engine, trigger } = setup([syncFlow([{ key: 'boom', type: 'test.boom' }])], { engine: { nodeTypes: [boom] } })
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(500)
    const id = executionIdOf(response)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ executionId: id, status: 'error' })
    expect(text).not.toContain('node exploded')
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    expect(execution.jobs).toHaveLength(1)
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'boom', type: 'test.boom', status: 'error' })
    expect(execution.jobs[0]!.error?.message).toBe('node exploded')
  })
})

describe('WebhookTrigger sync workflows: timeout and client abort', () => {
  it('answers 408 with X-Execution-Id when trigger.timeout passes first, and aborts the run with reason timeout', async () => {
    const hang = hangingNode()
    const { engine, trigger } = setup([syncFlow([{ key: 'hang', type: 'test.hang' }], { timeout: 50 })], {
      engine: { nodeTypes: [hang.nodeType] },
    })
    // The node never ends: only the timeout can answer.
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(408)
    await expectErrorBody(response)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('aborted')
    expect(execution.reason).toBe('timeout')
    expect(hang.seen.aborted).toBe(true)
    expect(execution.jobs.map((j) => [j.nodeKey, j.status])).toEqual([['hang', 'aborted']])
  })

  it('waits out a trigger.timeout longer than the longest Node timer (about 24.8 days) instead of answering 408 at once', async () => {
    const slow = defineNode({ type: 'test.slow', run: () => new Promise((resolve) => setTimeout(() => resolve('late'), 30)) })
    const answer = { key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true } } }
    const { trigger } = setup([syncFlow([{ key: 'slow', type: 'test.slow' }, answer], { timeout: 40 * 86_400_000 })], {
      engine: { nodeTypes: [slow] },
    })
    const response = await trigger.fetch(post(path, {}))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('aborts a sync run with reason canceled when the client goes away', async () => {
    const hang = hangingNode()
    const { engine, trigger } = setup([syncFlow([{ key: 'hang', type: 'test.hang' }], { timeout: 60_000 })], {
      engine: { nodeTypes: [hang.nodeType] },
    })
    const client = new AbortController()
    const answer = trigger.fetch(post(path, {}, { signal: client.signal }))
    await hang.started
    client.abort()
    const response = await answer
    await engine.idle()
    expect(hang.seen.aborted).toBe(true)
    const [execution] = await engine.listExecutions()
    expect(execution).toBeDefined()
    expect(response.headers.get('x-execution-id')).toBe(execution!.id)
    const stored = await engine.getExecution(execution!.id)
    expect(stored!.status).toBe('aborted')
    expect(stored!.reason).toBe('canceled')
    expect(stored!.jobs.map((j) => [j.nodeKey, j.status])).toEqual([['hang', 'aborted']])
  })
})
