import { describe, expect, it, vi } from 'vitest'
import { type Authenticator, createEngine, HookflowError, type WorkflowDefinition, WorkflowDefinitionError, WebhookTrigger } from '../../../src/index.js'
import { createListener } from '../../../src/adapters/node/index.js'
import { listen } from '../../../src/testing/index.js'
import { createServer } from 'node:http'
import { expectErrorBody, expectNoExecution, idPath, post, settledExecution, setup } from '../../helpers/webhook.js'

// Credentials checked before the body: bearer and header tokens, the IP allow-list, and the
// user's own authenticate hook.

function workflow(trigger: Partial<WorkflowDefinition['trigger']>, extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return {
    key: 'guarded',
    trigger: { type: 'webhook', id: 'guarded', request: { headers: [{ key: 'x-api-key' }, { key: 'x-request-id' }] }, ...trigger },
    nodes: [{ key: 'done', type: 'end' }],
    ...extra,
  }
}

describe('token authentication', () => {
  it('lets a request with the bearer token in', async () => {
    const { engine, trigger } = setup([workflow({ tokenAuthentication: { token: 's3cret' } })])
    const response = await trigger.fetch(post(idPath('guarded'), {}, { headers: { authorization: 'Bearer s3cret' } }))
    expect(response.status).toBe(200)
    expect((await settledExecution(engine, response)).context.headers).toEqual({})
  })

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer s3creT' }],
    ['a longer token', { authorization: 'Bearer s3cret!' }],
    ['another scheme', { authorization: 'Basic s3cret' }],
    ['an empty token', { authorization: 'Bearer ' }],
  ])('answers 401 with a Bearer challenge for %s, creating nothing', async (_, headers) => {
    const { engine, trigger } = setup([workflow({ tokenAuthentication: { token: 's3cret' } })])
    const response = await trigger.fetch(post(idPath('guarded'), {}, { headers }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="hookflow"')
    await expectErrorBody(response, 'unauthorized')
    await expectNoExecution(engine)
  })

  it('reads the scheme word in any case', async () => {
    const { trigger } = setup([workflow({ tokenAuthentication: { token: 's3cret' } })])
    expect((await trigger.fetch(post(idPath('guarded'), {}, { headers: { authorization: 'bearer s3cret' } }))).status).toBe(200)
  })

  it('takes any of several tokens (rotation), from the environment too', async () => {
    vi.stubEnv('HOOKFLOW_TEST_TOKEN', 'from-env')
    const { trigger } = setup([workflow({ tokenAuthentication: { tokens: ['old', { env: 'HOOKFLOW_TEST_TOKEN' }] } })])
    vi.unstubAllEnvs()
    for (const token of ['old', 'from-env']) {
      expect((await trigger.fetch(post(idPath('guarded'), {}, { headers: { authorization: `Bearer ${token}` } }))).status).toBe(200)
    }
  })

  it('reads a token from another header, never storing that header', async () => {
    const { engine, trigger } = setup([workflow({ tokenAuthentication: { header: 'X-Api-Key', token: 'k-1' } })])
    const response = await trigger.fetch(post(idPath('guarded'), {}, { headers: { 'x-api-key': 'k-1', 'x-request-id': 'r-1' } }))
    expect(response.status).toBe(200)
    expect((await settledExecution(engine, response)).context.headers).toEqual({ 'x-request-id': 'r-1' })
    const refused = await trigger.fetch(post(idPath('guarded'), {}, { headers: { 'x-api-key': 'k-2' } }))
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBeNull()
  })

  it('refuses to register token authentication without a token', () => {
    expect(() => createEngine().register(workflow({ tokenAuthentication: {} }))).toThrow(WorkflowDefinitionError)
  })
})

describe('IP allow-list', () => {
  const allowList = { allow: ['192.0.2.0/24', '2001:db8::/32'] }

  function withAddress(address: string | undefined, trustProxy?: boolean | number): ReturnType<typeof setup> {
    return setup([workflow({ ipAllowList: { ...allowList, ...(trustProxy === undefined ? {} : { trustProxy }) } })], {
      trigger: { clientAddress: () => address },
    })
  }

  it('lets an address in the list in, IPv4 and IPv6', async () => {
    for (const address of ['192.0.2.44', '::ffff:192.0.2.44', '2001:db8::7']) {
      const { trigger } = withAddress(address)
      expect((await trigger.fetch(post(idPath('guarded'), {}))).status).toBe(200)
    }
  })

  it('answers 403 ip_not_allowed for another address, creating nothing', async () => {
    const { engine, trigger } = withAddress('198.51.100.9')
    const response = await trigger.fetch(post(idPath('guarded'), {}))
    expect(response.status).toBe(403)
    await expectErrorBody(response, 'ip_not_allowed')
    await expectNoExecution(engine)
  })

  it('answers 403 when the address cannot be known (a plain Request, no clientAddress)', async () => {
    const { trigger } = setup([workflow({ ipAllowList: allowList })])
    expect((await trigger.fetch(post(idPath('guarded'), {}))).status).toBe(403)
  })

  it('ignores X-Forwarded-For unless trustProxy says how far to trust it', async () => {
    const spoofed = { 'x-forwarded-for': '192.0.2.1' }
    expect((await withAddress('10.0.0.1').trigger.fetch(post(idPath('guarded'), {}, { headers: spoofed }))).status).toBe(403)
    expect((await withAddress('10.0.0.1', 1).trigger.fetch(post(idPath('guarded'), {}, { headers: spoofed }))).status).toBe(200)
    // One trusted proxy: an entry the client wrote before it does not count.
    const chained = { 'x-forwarded-for': '192.0.2.1, 198.51.100.9' }
    expect((await withAddress('10.0.0.1', 1).trigger.fetch(post(idPath('guarded'), {}, { headers: chained }))).status).toBe(403)
  })

  it('gets the socket address from the Node adapter, over a real socket', async () => {
    const engine = createEngine()
    engine.register(workflow({ ipAllowList: { allow: ['127.0.0.1/32', '::1'] } }))
    engine.register({ key: 'elsewhere', trigger: { type: 'webhook', id: 'elsewhere', ipAllowList: { allow: ['192.0.2.0/24'] } }, nodes: [] })
    const trigger = new WebhookTrigger({ engine })
    const server = await listen(createServer(createListener(trigger)))
    try {
      const ok = await fetch(`${server.url}${idPath('guarded')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      expect(ok.status).toBe(200)
      const refused = await fetch(`${server.url}${idPath('elsewhere')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      expect(refused.status).toBe(403)
    } finally {
      await server.close()
      await engine.close()
    }
  })

  it('refuses to register a malformed range', () => {
    try {
      createEngine().register(workflow({ ipAllowList: { allow: ['10.0.0.0/8', '10.0.0.0/40'] } }))
      expect.unreachable('register should refuse it')
    } catch (error) {
      expect((error as WorkflowDefinitionError).problems).toEqual([
        { path: '/trigger/ipAllowList/allow/1', message: '"10.0.0.0/40" is not an IPv4 or IPv6 address or CIDR range' },
      ])
    }
  })
})

describe('authenticate hooks', () => {
  function withHook(hook: Authenticator): ReturnType<typeof setup> {
    return setup([workflow({ authenticate: 'partner' })], { engine: { authenticators: { partner: hook } }, trigger: { clientAddress: () => '192.0.2.1' } })
  }

  it('lets the request in when the hook returns true, handing it the workflow and client address', async () => {
    const seen: unknown[] = []
    const { trigger } = withHook(async (request, info) => {
      seen.push([request.headers.get('x-partner'), info])
      return request.headers.get('x-partner') === 'yes'
    })
    expect((await trigger.fetch(post(idPath('guarded'), {}, { headers: { 'x-partner': 'yes' } }))).status).toBe(200)
    expect(seen).toEqual([['yes', { workflowKey: 'guarded', clientAddress: '192.0.2.1' }]])
  })

  it('answers 401 unauthorized when the hook returns false, creating nothing', async () => {
    const { engine, trigger } = withHook(() => false)
    const response = await trigger.fetch(post(idPath('guarded'), {}))
    expect(response.status).toBe(401)
    await expectErrorBody(response, 'unauthorized')
    await expectNoExecution(engine)
  })

  it('sends the Response the hook returns, as it is', async () => {
    const { engine, trigger } = withHook(() => new Response('go away', { status: 403, headers: { 'x-why': 'partner' } }))
    const response = await trigger.fetch(post(idPath('guarded'), {}))
    expect([response.status, response.headers.get('x-why'), await response.text()]).toEqual([403, 'partner', 'go away'])
    await expectNoExecution(engine)
  })

  it('answers with the HookflowError the hook throws', async () => {
    const { trigger } = withHook(() => {
      throw new HookflowError('partner_suspended', 'This partner is suspended', { status: 403 })
    })
    const response = await trigger.fetch(post(idPath('guarded'), {}))
    expect(response.status).toBe(403)
    await expectErrorBody(response, 'partner_suspended')
  })

  it('runs after the token check', async () => {
    const hook = vi.fn(() => true)
    const { trigger } = setup([workflow({ authenticate: 'partner', tokenAuthentication: { token: 't' } })], { engine: { authenticators: { partner: hook } } })
    expect((await trigger.fetch(post(idPath('guarded'), {}))).status).toBe(401)
    expect(hook).not.toHaveBeenCalled()
  })

  it('refuses to register a definition naming an unknown hook', () => {
    try {
      createEngine({ authenticators: { other: () => true } }).register(workflow({ authenticate: 'partner' }))
      expect.unreachable('register should refuse it')
    } catch (error) {
      expect((error as WorkflowDefinitionError).problems).toEqual([
        { path: '/trigger/authenticate', message: 'no authenticator "partner" was given to createEngine({ authenticators }) (known: other)' },
      ])
    }
  })
})
