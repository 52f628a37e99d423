import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  builtInNodeTypes,
  createEngine,
  createMemoryQueue,
  createMemoryStore,
  Engine,
  type SignatureConfig,
  type WorkflowDefinition,
  WorkflowDefinitionError,
  WebhookTrigger,
} from '../../../src/index.js'
import { expectErrorBody, expectNoExecution, idPath, post, request, settledExecution, setup } from '../../helpers/webhook.js'

// The signature check inside the webhook contract: where it runs in the order of checks, what
// a refusal looks like, timestamps, tolerance, rotation, and secrets from the environment.

const SECRET = 'shh'
const NOW = 1_750_000_000

afterEach(() => {
  vi.useRealTimers()
})

function slackSigned(body: string, timestamp: string, secret = SECRET): Record<string, string> {
  const mac = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')
  return { 'x-slack-signature': `v0=${mac}`, 'x-slack-request-timestamp': timestamp }
}

function workflow(signature: Partial<SignatureConfig> = {}, extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return {
    key: 'signed',
    trigger: { type: 'webhook', id: 'signed', signature: { scheme: 'slack', secrets: [SECRET], ...signature } },
    nodes: [{ key: 'done', type: 'end' }],
    ...extra,
  }
}

function atTime(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(seconds * 1000)
}

describe('signature in the webhook contract', () => {
  it('runs a delivery whose signature matches, with the parsed body', async () => {
    atTime(NOW)
    const { engine, trigger } = setup([workflow()])
    const body = '{"a": 1}'
    const response = await trigger.fetch(post(idPath('signed'), body, { headers: slackSigned(body, String(NOW)) }))
    expect(response.status).toBe(200)
    expect((await settledExecution(engine, response)).context.body).toEqual({ a: 1 })
  })

  it('answers 401 signature_invalid with the contract’s JSON error and creates no execution', async () => {
    atTime(NOW)
    const { engine, trigger } = setup([workflow()])
    const response = await trigger.fetch(post(idPath('signed'), '{"a": 1}', { headers: slackSigned('{"a": 2}', String(NOW)) }))
    expect(response.status).toBe(401)
    expect(response.headers.get('x-execution-id')).toBeNull()
    await expectErrorBody(response, 'signature_invalid')
    await expectNoExecution(engine)
  })

  it('answers 401 signature_missing without the headers', async () => {
    const { engine, trigger } = setup([workflow()])
    const response = await trigger.fetch(post(idPath('signed'), '{}'))
    await expectErrorBody(response, 'signature_missing')
    expect(response.status).toBe(401)
    await expectNoExecution(engine)
  })

  // Fetch trims a header value's outer whitespace, so " 1750000000" arrives as digits (and then
  // fails as a signature over other text); whitespace inside stays and is refused here.
  it.each(['+1750000000', '1750000000.0', '1.75e9', '1750 000000', '1_750_000_000', '0x10', '-1750000000', '', 'Infinity', '17500000000000'])(
    'refuses the timestamp %j: digits only',
    async (timestamp) => {
      atTime(NOW)
      const { engine, trigger } = setup([workflow()])
      const body = '{}'
      // Signed as written, so only the timestamp's form can be refused.
      const headers = { ...slackSigned(body, timestamp), 'x-slack-request-timestamp': timestamp }
      const response = await trigger.fetch(post(idPath('signed'), body, { headers }))
      expect(response.status).toBe(401)
      await expectErrorBody(response, 'signature_timestamp_invalid')
      await expectNoExecution(engine)
    },
  )

  it('answers 401 signature_expired for a stale and for a future timestamp', async () => {
    atTime(NOW)
    const { engine, trigger } = setup([workflow()])
    for (const timestamp of [NOW - 301, NOW + 301]) {
      const response = await trigger.fetch(post(idPath('signed'), '{}', { headers: slackSigned('{}', String(timestamp)) }))
      expect(response.status).toBe(401)
      await expectErrorBody(response, 'signature_expired')
    }
    await expectNoExecution(engine)
  })

  it('takes the tolerance from toleranceSeconds, and 0 turns the window off', async () => {
    atTime(NOW)
    const { trigger } = setup([
      workflow({ toleranceSeconds: 10 }),
      { ...workflow({ toleranceSeconds: 0 }), key: 'any-time', trigger: { ...workflow({ toleranceSeconds: 0 }).trigger, id: 'any-time' } },
    ])
    const send = (id: string, timestamp: number): Promise<Response> =>
      trigger.fetch(post(idPath(id), '{}', { headers: slackSigned('{}', String(timestamp)) }))
    expect((await send('signed', NOW - 10)).status).toBe(200)
    expect((await send('signed', NOW - 11)).status).toBe(401)
    expect((await send('any-time', NOW - 86_400 * 365)).status).toBe(200)
  })

  it('accepts a signature made with any of several secrets (rotation)', async () => {
    atTime(NOW)
    const { trigger } = setup([workflow({ secrets: ['old', 'new'] })])
    for (const secret of ['old', 'new']) {
      const response = await trigger.fetch(post(idPath('signed'), '{}', { headers: slackSigned('{}', String(NOW), secret) }))
      expect(response.status).toBe(200)
    }
    const other = await trigger.fetch(post(idPath('signed'), '{}', { headers: slackSigned('{}', String(NOW), 'older') }))
    expect(other.status).toBe(401)
  })

  it('checks the signature before parsing: a forged malformed body is 401, a signed malformed body 400', async () => {
    atTime(NOW)
    const { engine, trigger } = setup([workflow()])
    const forged = await trigger.fetch(post(idPath('signed'), '{"a":', { headers: slackSigned('{}', String(NOW)) }))
    expect(forged.status).toBe(401)
    const signed = await trigger.fetch(post(idPath('signed'), '{"a":', { headers: slackSigned('{"a":', String(NOW)) }))
    expect(signed.status).toBe(400)
    await expectNoExecution(engine)
  })

  it('checks the content type (415) and the body limit (413) before the signature', async () => {
    atTime(NOW)
    const { trigger } = setup([workflow()], { trigger: { bodyLimit: 16 } })
    const text = await trigger.fetch(request(idPath('signed'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }))
    expect(text.status).toBe(415)
    const big = '{"pad":"xxxxxxxxxxxxxxxx"}'
    const large = await trigger.fetch(post(idPath('signed'), big, { headers: slackSigned(big, String(NOW)) }))
    expect(large.status).toBe(413)
  })

  it('checks Basic credentials before the signature', async () => {
    const { trigger } = setup([{ ...workflow(), trigger: { ...workflow().trigger, basicAuthentication: { username: 'u', password: 'p' } } }])
    const response = await trigger.fetch(post(idPath('signed'), '{}'))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/)
    await expectErrorBody(response, 'unauthorized')
  })
})

describe('signature settings at register', () => {
  it('reads { env } secrets once, at register', async () => {
    atTime(NOW)
    vi.stubEnv('HOOKFLOW_TEST_SLACK_SECRET', 'from-env')
    const { trigger } = setup([workflow({ secrets: [{ env: 'HOOKFLOW_TEST_SLACK_SECRET' }] })])
    vi.unstubAllEnvs()
    const response = await trigger.fetch(post(idPath('signed'), '{}', { headers: slackSigned('{}', String(NOW), 'from-env') }))
    expect(response.status).toBe(200)
  })

  it('refuses to register a definition whose secret variable is not set', () => {
    const engine = createEngine()
    let error: unknown
    try {
      engine.register(workflow({ secrets: ['fine', { env: 'HOOKFLOW_TEST_NOT_SET' }] }))
    } catch (e) {
      error = e
    }
    expect(WorkflowDefinitionError.is(error)).toBe(true)
    expect((error as WorkflowDefinitionError).problems).toEqual([
      { path: '/trigger/signature/secrets/1/env', message: 'environment variable "HOOKFLOW_TEST_NOT_SET" is not set' },
    ])
  })

  it.each<[string, Partial<SignatureConfig>, string]>([
    ['an option of another scheme', { algorithm: 'sha1' }, '/trigger/signature/algorithm'],
    ['no secrets', { secrets: [] }, '/trigger/signature/secrets'],
    ['a negative tolerance', { toleranceSeconds: -1 }, '/trigger/signature/toleranceSeconds'],
    ['an unknown scheme', { scheme: 'paypal' as 'slack' }, '/trigger/signature/scheme'],
  ])('refuses to register %s', (_, signature, path) => {
    expect(() => createEngine().register(workflow(signature))).toThrow(WorkflowDefinitionError)
    try {
      createEngine().register(workflow(signature))
    } catch (error) {
      expect((error as WorkflowDefinitionError).problems.map((p) => p.path)).toContain(path)
    }
  })

  it('accepts any non-negative tolerance, fractions too', () => {
    expect(() => createEngine().register(workflow({ toleranceSeconds: 0.5 }))).not.toThrow()
  })

  it.each<[string, Partial<SignatureConfig>, string]>([
    ['no header', {}, '/trigger/signature/header'],
    ['a timestamp header that is not signed', { header: 'x-sig', timestampHeader: 'x-ts' }, '/trigger/signature/signedContent'],
    ['content without the body', { header: 'x-sig', signedContent: '{method} {url}' }, '/trigger/signature/signedContent'],
    ['an unknown placeholder', { header: 'x-sig', signedContent: '{id}.{body}' }, '/trigger/signature/signedContent'],
    ['a signed timestamp without its header', { header: 'x-sig', signedContent: '{timestamp}.{body}' }, '/trigger/signature/timestampHeader'],
    ['a secret that is not base64', { header: 'x-sig', secretEncoding: 'base64', secrets: ['not base64!'] }, '/trigger/signature/secrets/0'],
  ])('refuses a generic hmac scheme with %s', (_, signature, path) => {
    try {
      createEngine().register(workflow({ scheme: 'hmac', ...signature }))
      expect.unreachable('register should refuse it')
    } catch (error) {
      expect((error as WorkflowDefinitionError).problems.map((p) => p.path)).toContain(path)
    }
  })

  it('refuses a Standard Webhooks secret that is not base64', () => {
    try {
      createEngine().register(workflow({ scheme: 'standard-webhooks', secrets: ['whsec_not*base64'] }))
      expect.unreachable('register should refuse it')
    } catch (error) {
      expect((error as WorkflowDefinitionError).problems.map((p) => p.path)).toEqual(['/trigger/signature/secrets/0'])
    }
  })

  it('answers 500 without details, reporting why, when a bare Engine registered a trigger it cannot use', async () => {
    const engine = new Engine({ store: createMemoryStore(), queue: createMemoryQueue(), nodeTypes: builtInNodeTypes })
    engine.register(workflow({ secrets: [{ env: 'HOOKFLOW_TEST_NOT_SET' }] }))
    const errors: unknown[] = []
    const trigger = new WebhookTrigger({ engine, onError: (error) => void errors.push(error) })
    const response = await trigger.fetch(post(idPath('signed'), '{}'))
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('HOOKFLOW_TEST_NOT_SET')
    expect(String(errors[0])).toContain('environment variable "HOOKFLOW_TEST_NOT_SET" is not set')
    await engine.close()
  })
})
