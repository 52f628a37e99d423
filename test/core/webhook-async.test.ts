import { describe, expect, it } from 'vitest'
import { defineNode, type AnyWorkflowDefinition } from '../../src/index.js'
import {
  deferred,
  executionIdOf,
  expectNoExecution,
  idPath,
  post,
  settledExecution,
  setup,
  slowStore,
} from '../helpers/webhook.js'

const echo = defineNode<{ value?: unknown }>({ type: 'test.echo', run: ({ config }) => ({ echoed: config.value }) })
const boom = defineNode({
  type: 'test.boom',
  run: () => {
    throw new Error('node exploded')
  },
})

const notify: AnyWorkflowDefinition = {
  key: 'notify',
  trigger: { type: 'webhook', id: 'notify' },
  nodes: [{ key: 'echo', type: 'test.echo', config: { value: '{{$context.body.id}}' } }],
}

describe('WebhookTrigger async workflows', () => {
  it('answers 200 ok as text/plain with X-Execution-Id by default', async () => {
    const { engine, trigger } = setup([notify], { engine: { nodeTypes: [echo] } })
    const response = await trigger.fetch(post(idPath('notify'), { id: 7 }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await response.text()).toBe('ok')
    executionIdOf(response)
    await engine.idle()
  })

  it('runs the workflow after answering: the execution is resolved with its jobs once idle', async () => {
    const { engine, trigger } = setup([notify], { engine: { nodeTypes: [echo] } })
    const response = await trigger.fetch(post(idPath('notify'), { id: 7 }))
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(execution.sync).toBe(false)
    expect(execution.workflowKey).toBe('notify')
    expect(execution.jobs).toHaveLength(1)
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'echo', type: 'test.echo', status: 'resolved', result: { echoed: 7 } })
  })

  it('stores the execution before answering', async () => {
    const release = deferred()
    const wait = defineNode({ type: 'test.wait', run: () => release.promise })
    // A slow store: an answer sent before the write finished would find nothing below.
    const { engine, trigger } = setup(
      [{ key: 'slow', trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'wait', type: 'test.wait' }] }],
      { engine: { nodeTypes: [wait], store: slowStore(30) } },
    )
    const response = await trigger.fetch(post(idPath('slow'), { id: 1 }))
    const id = executionIdOf(response)
    const stored = await engine.getExecution(id)
    expect(stored).toBeDefined()
    expect(['queued', 'started']).toContain(stored!.status)
    release.resolve()
    await engine.idle()
    expect((await engine.getExecution(id))!.status).toBe('resolved')
  })

  it('answers with the configured trigger.response: status 202, headers and a templated body', async () => {
    const { engine, trigger } = setup([
      {
        key: 'accepted',
        trigger: {
          type: 'webhook',
          id: 'accepted',
          response: {
            statusCode: 202,
            headers: [
              { name: 'x-static', value: 'yes' },
              { name: 'x-order', value: 'order-{{$context.body.order.id}}' },
            ],
            body: { accepted: true, id: '{{$context.body.order.id}}', note: 'got {{$context.body.order.id}}' },
          },
        },
        nodes: [],
      },
    ])
    const response = await trigger.fetch(post(idPath('accepted'), { order: { id: 42 } }))
    expect(response.status).toBe(202)
    expect(response.headers.get('x-static')).toBe('yes')
    expect(response.headers.get('x-order')).toBe('order-42')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ accepted: true, id: 42, note: 'got 42' })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('answers with a templated text body from trigger.response', async () => {
    const { engine, trigger } = setup([
      {
        key: 'text',
        trigger: { type: 'webhook', id: 'text', response: { body: 'thanks {{$context.body.name}}' } },
        nodes: [],
      },
    ])
    const response = await trigger.fetch(post(idPath('text'), { name: 'Ada' }))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('thanks Ada')
    await settledExecution(engine, response)
  })

  it('answers 200 even when a node later throws, and records the execution as error', async () => {
    const { engine, trigger } = setup(
      [{ key: 'fails', trigger: { type: 'webhook', id: 'fails' }, nodes: [{ key: 'boom', type: 'test.boom' }] }],
      { engine: { nodeTypes: [boom] } },
    )
    const response = await trigger.fetch(post(idPath('fails'), {}))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('error')
    expect(execution.jobs[0]).toMatchObject({ nodeKey: 'boom', status: 'error' })
    expect(execution.jobs[0]!.error?.message).toBe('node exploded')
  })

  it('never sends a trigger.response header whose rendered value holds CR/LF', async () => {
    const { engine, trigger } = setup(
      [
        {
          key: 'inject',
          trigger: {
            type: 'webhook',
            id: 'inject',
            response: { statusCode: 202, headers: [{ name: 'x-echo', value: '{{$context.body.v}}' }], body: 'ok' },
          },
          nodes: [],
        },
      ],
      { trigger: { onError: () => undefined } },
    )
    const response = await trigger.fetch(post(idPath('inject'), { v: 'a\r\nset-cookie: evil=1' }))
    expect(response.status).not.toBe(202)
    expect(response.headers.get('x-echo')).toBeNull()
    expect(response.headers.get('set-cookie')).toBeNull()
    await expectNoExecution(engine)
  })
})
