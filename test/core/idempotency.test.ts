import { createHmac, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createEngine, defineNode, type Store, type AnyWorkflowDefinition, type WorkflowDefinition, WorkflowDefinitionError } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { deferred, expectErrorBody, executionIdOf, idPath, post, setup } from '../helpers/webhook.js'

// Idempotent deliveries: one execution per delivery id within the window, the first answer
// given again to a duplicate, and the store's unique event key keeping that true under load.

const dir = mkdtempSync(join(tmpdir(), 'hookflow-idempotency-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  vi.useRealTimers()
})

function asyncWorkflow(idempotency: WorkflowDefinition['trigger']['idempotency'], trigger: Partial<WorkflowDefinition['trigger']> = {}): WorkflowDefinition {
  return {
    key: 'orders',
    trigger: {
      type: 'webhook', id: 'orders', idempotency,
      response: { statusCode: 202, headers: [{ name: 'x-order', value: '{{$context.body.id}}' }], body: { queued: '{{$context.body.id}}' } },
      ...trigger,
    },
    nodes: [{ key: 'done', type: 'end' }],
  }
}

async function count(engine: ReturnType<typeof setup>['engine']): Promise<number> {
  await engine.idle()
  return (await engine.listExecutions({ limit: 1000 })).length
}

describe('async deliveries', () => {
  it('answers a duplicate with the configured response again and the first execution’s id, creating nothing', async () => {
    const { engine, trigger } = setup([asyncWorkflow({ key: 'Idempotency-Key' })])
    const first = await trigger.fetch(post(idPath('orders'), { id: 'o1' }, { headers: { 'idempotency-key': 'k-1' } }))
    const again = await trigger.fetch(post(idPath('orders'), { id: 'o1' }, { headers: { 'idempotency-key': 'k-1' } }))
    expect([first.status, again.status]).toEqual([202, 202])
    expect(again.headers.get('x-order')).toBe('o1')
    expect(await again.json()).toEqual({ queued: 'o1' })
    expect(executionIdOf(again)).toBe(executionIdOf(first))
    expect(await count(engine)).toBe(1)
  })

  it('runs deliveries with other keys, and deliveries without a key, each once', async () => {
    const { engine, trigger } = setup([asyncWorkflow({ key: 'idempotency-key' })])
    await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers: { 'idempotency-key': 'k-1' } }))
    await trigger.fetch(post(idPath('orders'), { id: 'b' }, { headers: { 'idempotency-key': 'k-2' } }))
    await trigger.fetch(post(idPath('orders'), { id: 'c' }))
    await trigger.fetch(post(idPath('orders'), { id: 'c' }))
    expect(await count(engine)).toBe(4)
  })

  it('takes the key from a template over the parsed body', async () => {
    const { engine, trigger } = setup([asyncWorkflow({ key: '{{$context.body.event.id}}' })])
    await trigger.fetch(post(idPath('orders'), { id: 'x', event: { id: 'evt_1' } }))
    await trigger.fetch(post(idPath('orders'), { id: 'y', event: { id: 'evt_1' } }))
    await trigger.fetch(post(idPath('orders'), { id: 'z', event: { id: 2 } }))
    expect(await count(engine)).toBe(2)
  })

  it('keeps keys apart per workflow', async () => {
    const other = { ...asyncWorkflow({ key: 'idempotency-key' }), key: 'refunds', trigger: { ...asyncWorkflow({ key: 'idempotency-key' }).trigger, id: 'refunds' } }
    const { engine, trigger } = setup([asyncWorkflow({ key: 'idempotency-key' }), other])
    await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers: { 'idempotency-key': 'same' } }))
    await trigger.fetch(post(idPath('refunds'), { id: 'a' }, { headers: { 'idempotency-key': 'same' } }))
    expect(await count(engine)).toBe(2)
  })

  it('runs the same key again once the window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_750_000_000_000)
    const { engine, trigger } = setup([asyncWorkflow({ key: 'idempotency-key', ttlMs: 60_000 })])
    const headers = { 'idempotency-key': 'k-1' }
    const first = await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers }))
    vi.setSystemTime(1_750_000_059_999)
    const inside = await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers }))
    vi.setSystemTime(1_750_000_060_000)
    const after = await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers }))
    expect(executionIdOf(inside)).toBe(executionIdOf(first))
    expect(executionIdOf(after)).not.toBe(executionIdOf(first))
    expect(await count(engine)).toBe(2)
  })

  it('remembers a key for 24 hours by default', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_750_000_000_000)
    const { engine, trigger } = setup([asyncWorkflow({ key: 'idempotency-key' })])
    const headers = { 'idempotency-key': 'k-1' }
    await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers }))
    const first = (await engine.listExecutions())[0]!
    expect(first.eventKeyExpiresAt).toBe(1_750_000_000_000 + 24 * 3_600_000)
  })

  it('names the header it wanted when a required key is missing', async () => {
    const { trigger } = setup([asyncWorkflow({ key: 'Idempotency-Key', required: true })])
    const response = await trigger.fetch(post(idPath('orders'), { id: 'a' }))
    expect((await expectErrorBody(response, 'idempotency_key_missing')).message).toBe(
      'The delivery carries no idempotency key; expected header "idempotency-key" (trigger.idempotency)',
    )
  })

  it('names the template it wanted when a required key is missing', async () => {
    const { trigger } = setup([asyncWorkflow({ key: '{{$context.body.event.id}}', required: true })])
    const response = await trigger.fetch(post(idPath('orders'), { id: 'a' }))
    expect((await expectErrorBody(response, 'idempotency_key_missing')).message).toMatch(/expected a value at \{\{\$context\.body\.event\.id\}\}/)
  })

  it('refuses (400) a delivery without a key when one is required', async () => {
    const { engine, trigger } = setup([asyncWorkflow({ key: 'idempotency-key', required: true })])
    const response = await trigger.fetch(post(idPath('orders'), { id: 'a' }))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'idempotency_key_missing')
    expect(await count(engine)).toBe(0)
  })

  it('refuses (400) a key longer than 512 characters', async () => {
    const { trigger } = setup([asyncWorkflow({ key: 'idempotency-key' })])
    const response = await trigger.fetch(post(idPath('orders'), { id: 'a' }, { headers: { 'idempotency-key': 'k'.repeat(513) } }))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'idempotency_key_invalid')
  })
})

describe('presets by signature scheme', () => {
  function signedGithub(body: string, delivery: string): Record<string, string> {
    return { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'gh').update(body).digest('hex')}`, 'x-github-delivery': delivery }
  }

  it('takes X-GitHub-Delivery with idempotency: true on a github signature', async () => {
    const { engine, trigger } = setup([asyncWorkflow(true, { signature: { scheme: 'github', secrets: ['gh'] } })])
    const body = '{"id":"push"}'
    await trigger.fetch(post(idPath('orders'), body, { headers: signedGithub(body, 'd-1') }))
    await trigger.fetch(post(idPath('orders'), body, { headers: signedGithub(body, 'd-1') }))
    await trigger.fetch(post(idPath('orders'), body, { headers: signedGithub(body, 'd-2') }))
    expect(await count(engine)).toBe(2)
  })

  it('takes the Stripe event id from the body', async () => {
    const sign = (body: string): Record<string, string> => {
      const t = Math.floor(Date.now() / 1000)
      return { 'stripe-signature': `t=${t},v1=${createHmac('sha256', 'whsec_x').update(`${t}.${body}`).digest('hex')}` }
    }
    const { engine, trigger } = setup([asyncWorkflow({ preset: 'auto' }, { signature: { scheme: 'stripe', secrets: ['whsec_x'] } })])
    // A retry is the same event; Stripe may serialise it differently, the id stays.
    const one = '{"id":"evt_1","type":"charge.succeeded"}'
    const retry = '{"type":"charge.succeeded","id":"evt_1"}'
    await trigger.fetch(post(idPath('orders'), one, { headers: sign(one) }))
    await trigger.fetch(post(idPath('orders'), retry, { headers: sign(retry) }))
    expect(await count(engine)).toBe(1)
  })

  it.each<[string, Record<string, string>]>([
    ['standard-webhooks', { 'webhook-id': 'msg_1' }],
    ['shopify', { 'x-shopify-webhook-id': 'w-1' }],
    ['twilio', { 'i-twilio-idempotency-token': 't-1' }],
  ])('names the %s delivery id header', async (preset, headers) => {
    const { engine, trigger } = setup([asyncWorkflow({ preset: preset as 'shopify' })])
    await trigger.fetch(post(idPath('orders'), { id: 1 }, { headers }))
    await trigger.fetch(post(idPath('orders'), { id: 1 }, { headers }))
    expect(await count(engine)).toBe(1)
  })

  it('takes the Slack event_id from the body', async () => {
    const { engine, trigger } = setup([asyncWorkflow({ preset: 'slack' })])
    await trigger.fetch(post(idPath('orders'), { event_id: 'Ev1', n: 1 }))
    await trigger.fetch(post(idPath('orders'), { event_id: 'Ev1', n: 2 }))
    expect(await count(engine)).toBe(1)
  })

  it.each<[string, WorkflowDefinition['trigger']['idempotency'], Partial<WorkflowDefinition['trigger']>]>([
    ['true without a signature', true, {}],
    ['auto with the generic hmac scheme', { preset: 'auto' }, { signature: { scheme: 'hmac', header: 'x-sig', secrets: ['s'] } }],
    ['both a key and a preset', { key: 'x-id', preset: 'github' }, {}],
    ['neither a key nor a preset', { ttlMs: 5 }, {}],
    ['a key template that does not compile', { key: '{{$nope.id}}' }, {}],
  ])('refuses to register %s', (_, idempotency, trigger) => {
    expect(() => createEngine().register(asyncWorkflow(idempotency, trigger))).toThrow(WorkflowDefinitionError)
  })
})

describe('sync deliveries', () => {
  const gate = new Map<string, Promise<void>>()
  const hold = defineNode({ type: 'test.hold', run: async ({ config }) => void (await gate.get(String(config.token))) })

  function syncWorkflow(): AnyWorkflowDefinition {
    return {
      key: 'pay',
      sync: true,
      trigger: { type: 'webhook', id: 'pay', idempotency: { key: 'idempotency-key' } },
      nodes: [
        { key: 'hold', type: 'test.hold', config: { token: '{{$context.body.token}}' } },
        { key: 'answer', type: 'response', config: { statusCode: 201, headers: [{ name: 'x-paid', value: '{{$context.body.token}}' }], body: { paid: '{{$context.body.token}}' } } },
      ],
    }
  }

  it('replays the first answer: status, headers and body', async () => {
    const { engine, trigger } = setup([syncWorkflow()], { engine: { nodeTypes: [hold] } })
    const headers = { 'idempotency-key': 'pay-1' }
    const first = await trigger.fetch(post(idPath('pay'), { token: 'a' }, { headers }))
    await engine.idle()
    const again = await trigger.fetch(post(idPath('pay'), { token: 'b' }, { headers }))
    expect([again.status, again.headers.get('x-paid'), await again.json()]).toEqual([201, 'a', { paid: 'a' }])
    expect([first.status, executionIdOf(again)]).toEqual([201, executionIdOf(first)])
    expect(await count(engine)).toBe(1)
  })

  it('answers 409 with Retry-After while the first run has not answered', async () => {
    const { engine, trigger } = setup([syncWorkflow()], { engine: { nodeTypes: [hold] } })
    const release = deferred()
    gate.set('slow', release.promise)
    const headers = { 'idempotency-key': 'pay-2' }
    const first = trigger.fetch(post(idPath('pay'), { token: 'slow' }, { headers }))
    // Stored and running (not idle: the run waits on the gate).
    await vi.waitFor(async () => expect(await engine.listExecutions({ status: 'started' })).toHaveLength(1), { timeout: 10_000 })
    const again = await trigger.fetch(post(idPath('pay'), { token: 'slow' }, { headers }))
    expect(again.status).toBe(409)
    expect(again.headers.get('retry-after')).toBe('1')
    await expectErrorBody(again, 'delivery_in_progress')
    release.resolve()
    expect((await first).status).toBe(201)
    expect((await trigger.fetch(post(idPath('pay'), { token: 'slow' }, { headers }))).status).toBe(201)
  })

  it('replays 200 with { executionId, status } for a run that ended without a Response node', async () => {
    const { engine, trigger } = setup([{ key: 'plain', sync: true, trigger: { type: 'webhook', id: 'plain', idempotency: { key: 'x-id' } }, nodes: [] }])
    const first = await trigger.fetch(post(idPath('plain'), {}, { headers: { 'x-id': '1' } }))
    await engine.idle()
    const again = await trigger.fetch(post(idPath('plain'), {}, { headers: { 'x-id': '1' } }))
    const id = executionIdOf(first)
    expect([again.status, await again.json()]).toEqual([200, { executionId: id, status: 'resolved' }])
  })
})

describe.each<[string, () => Store]>([
  ['memory', () => undefined as unknown as Store],
  ['sqlite', () => createSqliteStore({ filename: join(dir, `${randomUUID()}.db`) })],
])('50 parallel deliveries with one id on the %s store', (_, makeStore) => {
  it('create exactly one execution and all name it', async () => {
    const store = makeStore()
    const { engine, trigger } = setup([asyncWorkflow({ key: 'webhook-id' })], { engine: store ? { store } : {} })
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => trigger.fetch(post(idPath('orders'), { id: `o${i}` }, { headers: { 'webhook-id': 'msg_same' } }))),
    )
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([202]))
    expect(new Set(responses.map(executionIdOf)).size).toBe(1)
    expect(await count(engine)).toBe(1)
  })
})
