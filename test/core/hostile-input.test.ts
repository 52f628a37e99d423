/**
 * Hostile requests, each through `trigger.fetch` and, where the wire matters, through the
 * node:http adapter on a real socket: each gets its 4xx, nothing hangs (the test timeout is
 * the only clock), nothing is stored, and no prototype is polluted.
 */
import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type Engine, type WorkflowDefinition, WebhookTrigger } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { listen, type MountedServer } from '../../src/testing/index.js'
import { sendRaw } from '../../src/testing/http-client.js'
import { basic, BASE, expectErrorBody, nestedArrays } from '../helpers/webhook.js'

const TIMEOUT = 20_000
const CREDENTIALS = { username: 'webhook', password: 'secret' }

const WORKFLOWS: WorkflowDefinition[] = [
  { key: 'json', trigger: { type: 'webhook', id: 'json' }, nodes: [] },
  { key: 'form', trigger: { type: 'webhook', id: 'form', request: { contentTypes: ['form', 'multipart'] } }, nodes: [] },
  { key: 'auth', trigger: { type: 'webhook', id: 'auth', basicAuthentication: CREDENTIALS }, nodes: [] },
  {
    key: 'echo-header',
    trigger: { type: 'webhook', id: 'echo-header', response: { headers: [{ name: 'x-echo', value: 'v={{$context.body.v}}' }] } },
    nodes: [],
  },
  {
    key: 'echo-sync',
    sync: true,
    trigger: { type: 'webhook', id: 'echo-sync' },
    nodes: [{ key: 'r', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-echo', value: '{{$context.body.v}}' }], body: 'ok' } }],
  },
]

const INJECTION = 'a\r\nset-cookie: session=stolen\r\n\r\nHTTP/1.1 200 OK'

let engine: Engine
let trigger: WebhookTrigger
let server: MountedServer
let created = 0
const reported: unknown[] = []

beforeAll(async () => {
  engine = createEngine()
  for (const workflow of WORKFLOWS) engine.register(workflow)
  engine.on('execution:created', () => void created++)
  trigger = new WebhookTrigger({ engine, onError: (error) => void reported.push(error) })
  server = await listen(http.createServer(createListener(trigger)))
})
afterAll(async () => {
  await server.close()
  await engine.close()
})
afterEach(() => {
  expect(reported.splice(0), 'failures answered 500').toEqual([])
  expectNoPollution()
})

const OBJECT_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()

function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>
  expect(probe.polluted).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_PROTOTYPE_KEYS)
  for (const key in probe) throw new Error(`Object.prototype gained enumerable "${key}"`)
}

function post(path: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(`http://localhost${BASE}${path}`, { method: 'POST', headers, body })
}

/** Sends `request` through trigger.fetch and checks the error answer and that nothing was stored. */
async function refused(request: Request, status: number, code?: string): Promise<void> {
  const before = created
  const response = await trigger.fetch(request)
  expect(response.status).toBe(status)
  await expectErrorBody(response, code)
  expect(created, 'executions created').toBe(before)
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('prototype keys', () => {
  it.each([
    ['a __proto__ key', '{"__proto__":{"polluted":"yes"}}'],
    ['a constructor.prototype path', '{"constructor":{"prototype":{"polluted":"yes"}}}'],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"polluted":"yes"}}'],
    ['a nested __proto__ key', '{"a":[{"b":{"__proto__":{"polluted":"yes"}}}]}'],
  ])('refuses %s in JSON with 400', async (_, body) => {
    await refused(post('/json', body), 400, 'forbidden_json_key')
  }, TIMEOUT)

  it.each(['__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', 'a[__proto__][polluted]=yes', '%5f%5fproto%5f%5f[polluted]=yes'])(
    'refuses the query %s with 400',
    async (query) => {
      await refused(post(`/json?${query}`, '{}'), 400, 'forbidden_query_key')
    },
    TIMEOUT,
  )

  it.each(['__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', 'x=1&__proto__=1'])('refuses the form body %s with 400', async (body) => {
    await refused(post('/form', body, FORM), 400, 'forbidden_form_key')
  }, TIMEOUT)

  it('refuses a multipart field named __proto__ with 400', async () => {
    const data = new FormData()
    data.append('__proto__', 'yes')
    await refused(new Request(`http://localhost${BASE}/form`, { method: 'POST', body: data }), 400, 'forbidden_form_key')
  }, TIMEOUT)

  it('refuses a query with constructor.prototype over a real socket', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/json?constructor[prototype][polluted]=yes`, { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from('{}')] })
    expect(answer.status).toBe(400)
  }, TIMEOUT)
})

describe('10,000 a[]= parameters', () => {
  const many = Array.from({ length: 10_000 }, () => 'a[]=1').join('&')

  it('answers 414 in the query (past the 8 KiB query limit)', async () => {
    await refused(post(`/json?${many}`, '{}'), 414, 'query_too_long')
  }, TIMEOUT)

  it('answers 400 in the query when the query limit lets it through', async () => {
    const roomy = new WebhookTrigger({ engine, queryLimit: 1_000_000 })
    const response = await roomy.fetch(post(`/json?${many}`, '{}'))
    expect(response.status).toBe(400)
    await expectErrorBody(response, 'too_many_query_parameters')
  }, TIMEOUT)

  it('answers 400 in a form body', async () => {
    await refused(post('/form', many, FORM), 400, 'too_many_form_parameters')
  }, TIMEOUT)

  it('answers 400 to 21 items of one array, instead of turning it into an object', async () => {
    await refused(post('/form', Array.from({ length: 21 }, () => 'a[]=1').join('&'), FORM), 400, 'form_array_too_long')
  }, TIMEOUT)

  it('answers a 4xx over a real socket (Node itself answers 431 to a request line this long)', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/json?${many}`, { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from('{}')] })
    expect([414, 431]).toContain(answer.status)
  }, TIMEOUT)
})

describe('5,000-deep JSON', () => {
  it('answers 400 json_too_deep through trigger.fetch', async () => {
    await refused(post('/json', nestedArrays(5_000)), 400, 'json_too_deep')
    await refused(post('/json', '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)), 400, 'json_too_deep')
  }, TIMEOUT)

  it('answers 400 over a real socket', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/json`, { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(nestedArrays(5_000))] })
    expect(answer.status).toBe(400)
  }, TIMEOUT)
})

describe('an 8 KB Authorization header', () => {
  const huge = `Basic ${'A'.repeat(8 * 1024)}`
  const hugeValid = `Basic ${Buffer.from(`${CREDENTIALS.username}:${'x'.repeat(6000)}`).toString('base64')}`

  it('answers 401 through trigger.fetch, garbage or well-formed', async () => {
    await refused(post('/auth', '{}', { 'content-type': 'application/json', authorization: huge }), 401, 'unauthorized')
    await refused(post('/auth', '{}', { 'content-type': 'application/json', authorization: hugeValid }), 401, 'unauthorized')
  }, TIMEOUT)

  it('answers 431 when the trigger’s header limit is smaller', async () => {
    const strict = new WebhookTrigger({ engine, headerLimit: 4096 })
    const response = await strict.fetch(post('/auth', '{}', { 'content-type': 'application/json', authorization: huge }))
    expect(response.status).toBe(431)
  }, TIMEOUT)

  it('answers 431 over a real socket when the trigger’s header limit is smaller', async () => {
    const strict = await listen(http.createServer(createListener(new WebhookTrigger({ engine, headerLimit: 4096 }))))
    try {
      const answer = await sendRaw(`${strict.url}${BASE}/auth`, { headers: { 'content-type': 'application/json', authorization: huge }, chunks: [Buffer.from('{}')] })
      expect(answer.status).toBe(431)
      const small = await sendRaw(`${strict.url}${BASE}/auth`, { headers: { 'content-type': 'application/json', authorization: 'Basic Zm9v' }, chunks: [Buffer.from('{}')] })
      expect(small.status).toBe(401)
    } finally {
      await strict.close()
    }
  }, TIMEOUT)

  it('answers 401 over a real socket and still serves the right credentials after', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/auth`, { headers: { 'content-type': 'application/json', authorization: huge }, chunks: [Buffer.from('{}')] })
    expect(answer.status).toBe(401)
    const ok = await sendRaw(`${server.url}${BASE}/auth`, {
      headers: { 'content-type': 'application/json', authorization: basic(CREDENTIALS.username, CREDENTIALS.password) },
      chunks: [Buffer.from('{}')],
    })
    expect(ok.status).toBe(200)
  }, TIMEOUT)
})

describe('CR/LF in a templated response header value', () => {
  it('refuses an async delivery with 400 instead of sending the header, storing nothing', async () => {
    await refused(post('/echo-header', JSON.stringify({ v: INJECTION })), 400, 'invalid_response')
  }, TIMEOUT)

  it('never sends the injected header over a real socket', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/echo-header`, { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(JSON.stringify({ v: INJECTION }))] })
    expect(answer.status).toBe(400)
    expect(answer.lines.map(([name]) => name)).not.toContain('set-cookie')
    expect(answer.lines.map(([name]) => name)).not.toContain('x-echo')
  }, TIMEOUT)

  it('fails the sync Response node (500 by contract) and sends neither header over a real socket', async () => {
    const answer = await sendRaw(`${server.url}${BASE}/echo-sync`, { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(JSON.stringify({ v: INJECTION }))] })
    expect(answer.status).toBe(500)
    expect(answer.lines.map(([name]) => name)).not.toContain('set-cookie')
    expect(answer.lines.map(([name]) => name)).not.toContain('x-echo')
    await engine.idle()
    const execution = await engine.getExecution(answer.headers.get('x-execution-id') ?? '')
    expect(execution?.jobs[0]).toMatchObject({ nodeKey: 'r', status: 'error' })
  }, TIMEOUT)

  it('answers the same workflow normally for a value without CR/LF', async () => {
    const response = await trigger.fetch(post('/echo-header', JSON.stringify({ v: 'fine' })))
    expect([response.status, response.headers.get('x-echo')]).toEqual([200, 'v=fine'])
    await engine.idle()
  }, TIMEOUT)
})
