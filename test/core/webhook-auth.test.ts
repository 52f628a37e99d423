import { basicAuthChecker } from '../../src/core/basic-auth.js'
import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../../src/index.js'
import {
  basic,
  expectErrorBody,
  expectNoExecution,
  idPath,
  post,
  request,
  settledExecution,
  setup,
} from '../helpers/webhook.js'

function guarded(password: string): WorkflowDefinition {
  return {
    key: 'guarded',
    trigger: { type: 'webhook', id: 'guarded', basicAuthentication: { username: 'webhook', password } },
    nodes: [],
  }
}

const path = idPath('guarded')

describe('WebhookTrigger Basic authentication (401)', () => {
  it('answers 401 with WWW-Authenticate: Basic realm=... when credentials are missing', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/)
    await expectErrorBody(response, 'unauthorized')
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectNoExecution(engine)
  })

  it('answers 401 with WWW-Authenticate when the password is wrong', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'nope') } }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/)
    await expectNoExecution(engine)
  })

  it('answers 401 when the username is wrong', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('someone', 'secret') } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('answers missing and wrong credentials with the same body', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const missing = await trigger.fetch(post(path, { a: 1 }))
    const wrong = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'nope') } }))
    expect(wrong.status).toBe(missing.status)
    expect(wrong.headers.get('www-authenticate')).toBe(missing.headers.get('www-authenticate'))
    expect(await wrong.text()).toBe(await missing.text())
    await expectNoExecution(engine)
  })

  it('answers 401 for another scheme (Bearer) carrying the right pair', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const token = basic('webhook', 'secret').slice('Basic '.length)
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: `Bearer ${token}` } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('answers 401 for malformed base64', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: 'Basic %%%not-base64%%%' } }))
    expect(response.status).toBe(401)
    await expectErrorBody(response, 'unauthorized')
    await expectNoExecution(engine)
  })

  it('answers 401 for a Basic header without credentials', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: 'Basic' } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('authenticates the right credentials and runs the workflow', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'secret') } }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('accepts the scheme name in any case', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const value = basic('webhook', 'secret').replace('Basic', 'basic')
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: value } }))
    expect(response.status).toBe(200)
    await settledExecution(engine, response)
  })

  it('authenticates a password holding a : and UTF-8 characters (pä:ss)', async () => {
    const { engine, trigger } = setup([guarded('pä:ss')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'pä:ss') } }))
    expect(response.status).toBe(200)
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
  })

  it('refuses pä:ss sent as Latin-1 bytes instead of UTF-8', async () => {
    const { engine, trigger } = setup([guarded('pä:ss')])
    const latin1 = `Basic ${Buffer.from('webhook:pä:ss', 'latin1').toString('base64')}`
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: latin1 } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('refuses a password that only shares the part before its :', async () => {
    const { engine, trigger } = setup([guarded('pä:ss')])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'pä') } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('checks the method (405) before credentials (401)', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(request(path, { method: 'GET' }))
    expect(response.status).toBe(405)
    await expectNoExecution(engine)
  })

  it('checks credentials before the content type: text/plain without credentials is 401', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(request(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('checks credentials before the body limit: an oversize body without credentials is 401', async () => {
    const { engine, trigger } = setup([guarded('secret')], { trigger: { bodyLimit: 10 } })
    const response = await trigger.fetch(post(path, { padding: 'x'.repeat(100) }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('checks credentials before parsing: malformed JSON with wrong credentials is 401', async () => {
    const { engine, trigger } = setup([guarded('secret')])
    const response = await trigger.fetch(post(path, '{"a":', { headers: { authorization: basic('webhook', 'nope') } }))
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  it('never stores the Authorization header, even when the definition asks for it', async () => {
    const definition = guarded('secret')
    definition.trigger.request = { headers: [{ key: 'authorization' }] }
    const { engine, trigger } = setup([definition])
    const response = await trigger.fetch(post(path, { a: 1 }, { headers: { authorization: basic('webhook', 'secret') } }))
    const execution = await settledExecution(engine, response)
    expect(execution.context.headers).toEqual({})
  })
})

describe('basicAuthChecker', () => {
  const check = basicAuthChecker('ada', 'pässword:1')
  const b64 = Buffer.from('ada:pässword:1').toString('base64')

  it('accepts the canonical header and the other spellings clients send', () => {
    expect(check(`Basic ${b64}`)).toBe(true)
    expect(check(`basic ${b64}`)).toBe(true)
    expect(check(`BASIC   ${b64}  `)).toBe(true)
    // Without its padding, as some clients send it.
    const padded = basicAuthChecker('ada', 'secret')
    expect(Buffer.from('ada:secret').toString('base64')).toBe('YWRhOnNlY3JldA==')
    expect(padded('Basic YWRhOnNlY3JldA==')).toBe(true)
    expect(padded('Basic YWRhOnNlY3JldA')).toBe(true)
  })

  it('refuses anything else, including near misses of the canonical header', () => {
    expect(check(null)).toBe(false)
    expect(check('')).toBe(false)
    expect(check(`Basic ${b64}x`)).toBe(false)
    expect(check(`Basic ${b64.slice(0, -1)}`)).toBe(false)
    expect(check(`Bearer ${b64}`)).toBe(false)
    expect(check(`Basic ${Buffer.from('ada:pässword:2').toString('base64')}`)).toBe(false)
    expect(check(`Basic ${Buffer.from('ada:pässword:1x').toString('base64')}`)).toBe(false)
  })
})
