import { describe, expect, it } from 'vitest'
import { createMemoryStore, type WorkflowDefinition } from '../../src/index.js'
import {
  expectErrorBody,
  expectNoExecution,
  idPath,
  post,
  queueThatCannotEnqueue,
  setup,
  storeThatCannotCreate,
} from '../helpers/webhook.js'

const asyncFlow: WorkflowDefinition = { key: 'later', trigger: { type: 'webhook', id: 'later' }, nodes: [] }
const syncFlow: WorkflowDefinition = {
  key: 'now',
  sync: true,
  trigger: { type: 'webhook', id: 'now' },
  nodes: [{ key: 'reply', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
}

describe('WebhookTrigger storage and queue failures (503)', () => {
  it('answers 503 with Retry-After when the store cannot create the execution (async)', async () => {
    const { engine, trigger } = setup([asyncFlow], { engine: { store: storeThatCannotCreate() } })
    const response = await trigger.fetch(post(idPath('later'), { a: 1 }))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    await expectErrorBody(response)
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 503 with Retry-After when the store cannot create the execution (sync)', async () => {
    const { engine, trigger } = setup([syncFlow], { engine: { store: storeThatCannotCreate() } })
    const response = await trigger.fetch(post(idPath('now'), { a: 1 }))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    await expectErrorBody(response)
    await expectNoExecution(engine)
  })

  it('does not leak the store failure message into the answer', async () => {
    const { trigger } = setup([asyncFlow], { engine: { store: storeThatCannotCreate() } })
    const response = await trigger.fetch(post(idPath('later'), { a: 1 }))
    expect(await response.text()).not.toContain('database is down')
  })

  it('answers 503 with Retry-After when the queue cannot enqueue', async () => {
    const { engine, trigger } = setup([asyncFlow], { engine: { queue: queueThatCannotEnqueue() } })
    const response = await trigger.fetch(post(idPath('later'), { a: 1 }))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    await expectErrorBody(response)
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('leaves no execution behind in the store itself when the queue cannot enqueue', async () => {
    const store = createMemoryStore()
    const { engine, trigger } = setup([asyncFlow], { engine: { store, queue: queueThatCannotEnqueue() } })
    await trigger.fetch(post(idPath('later'), { a: 1 }))
    await expectNoExecution(engine)
    expect(await store.executions.list({ limit: 1000 })).toHaveLength(0)
  })
})
