import { request as httpRequest, createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, defineNode, type Engine, WebhookTrigger, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { basic, deferred } from '../helpers/webhook.js'

// The real trigger behind a real node:http server on a real socket.

let server: Server | undefined
let engine: Engine | undefined

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  await engine?.close()
  server = undefined
  engine = undefined
})

const payment: WorkflowDefinition = {
  key: 'payment',
  sync: true,
  trigger: { type: 'webhook', id: 'pay', basicAuthentication: { username: 'webhook', password: 'secret' } },
  nodes: [
    {
      key: 'big',
      type: 'condition',
      config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } },
      branches: {
        true: [{ key: 'ok', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-payment', value: '{{$context.body.id}}' }], body: { ok: true, id: '{{$context.body.id}}' } } }],
        false: [{ key: 'bad', type: 'response', config: { statusCode: 400, body: { ok: false } } }],
      },
    },
  ],
}

async function serve(definitions: WorkflowDefinition[], nodeTypes = [] as ReturnType<typeof defineNode>[]): Promise<string> {
  engine = createEngine({ nodeTypes })
  for (const definition of definitions) engine.register(definition)
  const trigger = new WebhookTrigger({ engine })
  server = createServer(createListener(trigger))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const auth = { authorization: basic('webhook', 'secret'), 'content-type': 'application/json' }

describe('hookflow/node with a WebhookTrigger', () => {
  it('answers both condition branches of a sync workflow over a socket', async () => {
    const origin = await serve([payment])
    const big = await fetch(`${origin}/api/webhook:trigger/pay`, { method: 'POST', headers: auth, body: JSON.stringify({ id: 'p1', amount: 2500 }) })
    expect(big.status).toBe(200)
    expect(big.headers.get('x-payment')).toBe('p1')
    expect(big.headers.get('x-execution-id')).toBeTruthy()
    expect(await big.json()).toEqual({ ok: true, id: 'p1' })
    const small = await fetch(`${origin}/api/webhook:trigger/pay`, { method: 'POST', headers: auth, body: JSON.stringify({ id: 'p2', amount: 5 }) })
    expect(small.status).toBe(400)
    expect(await small.json()).toEqual({ ok: false })
  })

  it('stores an async delivery before answering and runs it', async () => {
    const origin = await serve([{ key: 'notify', trigger: { type: 'webhook', id: 'n' }, nodes: [{ key: 'end', type: 'end' }] }])
    const response = await fetch(`${origin}/api/webhook:trigger/n`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
    await engine!.idle()
    const execution = await engine!.getExecution(response.headers.get('x-execution-id')!)
    expect(execution?.status).toBe('resolved')
    expect(execution?.context.body).toEqual({ a: 1 })
  })

  it('answers 413 to a body that streams past the limit without Content-Length', async () => {
    const origin = await serve([{ key: 'notify', trigger: { type: 'webhook', id: 'n' }, nodes: [] }])
    const { status, headers } = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(`${origin}/api/webhook:trigger/n`, { method: 'POST', headers: { 'content-type': 'application/json' } })
      req.on('response', (res) => {
        res.resume()
        resolve({ status: res.statusCode!, headers: res.headers })
      })
      req.on('error', reject)
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let sent = 0
      const pump = (): void => {
        // 2 MiB of whitespace, chunked: twice the default 1 MiB limit.
        while (sent < 32) {
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect(status).toBe(413)
    expect(headers['content-type']).toMatch(/application\/json/)
    await engine!.idle()
    expect(await engine!.listExecutions()).toHaveLength(0)
  })

  it('aborts a sync run as canceled when the client disconnects', async () => {
    const started = deferred()
    const aborted = deferred<unknown>()
    const wait = defineNode({
      type: 'test.wait',
      run: ({ signal }) =>
        new Promise((_, reject) => {
          started.resolve()
          signal.addEventListener('abort', () => {
            aborted.resolve(signal.reason)
            reject(signal.reason)
          })
        }),
    })
    const origin = await serve(
      [{ key: 'slow', sync: true, trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'w', type: 'test.wait' }, { key: 'r', type: 'response', config: {} }] }],
      [wait],
    )
    const client = new AbortController()
    const answer = fetch(`${origin}/api/webhook:trigger/slow`, { method: 'POST', signal: client.signal }).catch((error: unknown) => error)
    await started.promise
    client.abort()
    expect(await answer).toBeInstanceOf(Error)
    expect(await aborted.promise).toBeDefined()
    await engine!.idle()
    const [execution] = await engine!.listExecutions()
    expect(execution?.status).toBe('aborted')
    expect(execution?.reason).toBe('canceled')
  })
})
