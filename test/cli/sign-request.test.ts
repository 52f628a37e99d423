import { sign as octokitSign } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import type { SignatureConfig, WorkflowDefinition } from '../../src/index.js'
import { type SignInput, signRequest } from '../../src/cli/send/sign-request.js'
import { ORIGIN, idPath, settledExecution, setup } from '../helpers/webhook.js'

// What `hookflow send --sign` puts on a request must pass the trigger's own verification, and
// equal what the senders' libraries produce for the same input.

const body = JSON.stringify({ id: 'evt_1', data: { note: 'naïve ☃', amount: 2500 } }, null, 1)
const bytes = new TextEncoder().encode(body)
const STANDARD_SECRET = `whsec_${Buffer.from('a-standard-webhooks-secret-32by!').toString('base64')}`

function workflow(key: string, signature: SignatureConfig, contentTypes?: Array<'json' | 'form'>): WorkflowDefinition {
  return { key, trigger: { type: 'webhook', id: key, signature, ...(contentTypes ? { request: { contentTypes } } : {}) }, nodes: [{ key: 'done', type: 'end' }] }
}

/** Signs a delivery to workflow `key` as `send` would and hands it to the trigger. */
async function deliver(
  trigger: { fetch(request: Request): Promise<Response> },
  key: string,
  input: Omit<SignInput, 'method' | 'url' | 'body' | 'headers'> & { contentType?: string; payload?: Uint8Array },
): Promise<Response> {
  const headers = new Headers({ 'content-type': input.contentType ?? 'application/json' })
  const payload = input.payload ?? bytes
  const signed = signRequest({ ...input, method: 'POST', url: `${ORIGIN}${idPath(key)}`, body: payload, headers })
  for (const [name, value] of signed.headers) headers.set(name, value)
  return trigger.fetch(new Request(signed.url, { method: 'POST', headers, body: payload as Uint8Array<ArrayBuffer> }))
}

const CASES: Array<{ scheme: SignInput['scheme']; secret: string; signature?: Partial<SignatureConfig>; extra?: Partial<SignInput> }> = [
  { scheme: 'standard-webhooks', secret: STANDARD_SECRET },
  { scheme: 'github', secret: 'octo-secret' },
  { scheme: 'stripe', secret: 'whsec_stripe_test_secret' },
  { scheme: 'slack', secret: 'slack-signing-secret' },
  { scheme: 'shopify', secret: 'shopify-client-secret' },
  { scheme: 'twilio', secret: 'twilio-auth-token' },
  {
    scheme: 'hmac',
    secret: 'acme-secret',
    signature: { algorithm: 'sha512', encoding: 'base64', header: 'X-Acme-Signature', prefix: 'v1=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{method} {url} {timestamp}.{body}' },
    extra: { hmac: { algorithm: 'sha512', encoding: 'base64', header: 'X-Acme-Signature', prefix: 'v1=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{method} {url} {timestamp}.{body}' } },
  },
]

describe('send --sign', () => {
  for (const { scheme, secret, signature, extra } of CASES) {
    it(`signs a ${scheme} delivery that the trigger verifies and runs`, async () => {
      const { engine, trigger } = setup([workflow(scheme, { scheme, secrets: [secret], ...signature } as SignatureConfig)])
      const response = await deliver(trigger, scheme, { scheme, secret, ...extra })
      expect(response.status).toBe(200)
      const execution = await settledExecution(engine, response)
      expect(execution.status).toBe('resolved')
      expect(execution.context.body).toEqual(JSON.parse(body))
    })

    it(`signs a ${scheme} delivery with another secret that the trigger refuses with 401`, async () => {
      const { trigger } = setup([workflow(scheme, { scheme, secrets: [secret], ...signature } as SignatureConfig)])
      const other = scheme === 'standard-webhooks' ? `whsec_${Buffer.from('another-secret-of-thirty-two-by!').toString('base64')}` : `${secret}-wrong`
      const response = await deliver(trigger, scheme, { scheme, secret: other, ...extra })
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: { code: 'signature_invalid' } })
    })
  }

  it('signs a twilio form delivery over the sorted parameters, as twilio does', async () => {
    const secret = 'twilio-auth-token'
    const { trigger } = setup([workflow('sms', { scheme: 'twilio', secrets: [secret] }, ['form'])])
    const form = new URLSearchParams([['From', '+15551234567'], ['Body', 'hello & more'], ['Media', 'b'], ['Media', 'a']]).toString()
    const payload = new TextEncoder().encode(form)
    const response = await deliver(trigger, 'sms', { scheme: 'twilio', secret, contentType: 'application/x-www-form-urlencoded', payload })
    expect(response.status).toBe(200)
    const signed = signRequest({ scheme: 'twilio', secret, method: 'POST', url: 'https://hooks.example.com/sms', body: payload, headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }) })
    const expected = twilio.getExpectedTwilioSignature(secret, 'https://hooks.example.com/sms', { From: '+15551234567', Body: 'hello & more', Media: ['b', 'a'] })
    expect(signed.headers).toEqual([['x-twilio-signature', expected]])
  })

  it('signs a twilio delivery with HMAC-SHA256 when asked, with the settings header twilio sends', async () => {
    const secret = 'twilio-auth-token'
    const { trigger } = setup([workflow('twilio256', { scheme: 'twilio', secrets: [secret] })])
    const response = await deliver(trigger, 'twilio256', { scheme: 'twilio', secret, algorithm: 'sha256' })
    expect(response.status).toBe(200)
  })

  it('signs the public URL given for twilio while sending to the local one', async () => {
    const secret = 'twilio-auth-token'
    const signature: SignatureConfig = { scheme: 'twilio', secrets: [secret], publicOrigin: 'https://hooks.example.com' }
    const { trigger } = setup([workflow('proxied', signature)])
    const response = await deliver(trigger, 'proxied', { scheme: 'twilio', secret, signedUrl: `https://hooks.example.com${idPath('proxied')}` })
    expect(response.status).toBe(200)
    const unsigned = await deliver(trigger, 'proxied', { scheme: 'twilio', secret })
    expect(unsigned.status).toBe(401)
  })

  it('writes the same Stripe-Signature as stripe\'s own test header for the same time', () => {
    const timestamp = 1733500000
    const expected = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_x', timestamp })
    const signed = signRequest({ scheme: 'stripe', secret: 'whsec_x', method: 'POST', url: 'http://x/y', body: bytes, headers: new Headers(), timestamp: String(timestamp) })
    expect(signed.headers).toEqual([['stripe-signature', expected]])
  })

  it('writes the same X-Hub-Signature-256 as @octokit/webhooks-methods', async () => {
    const signed = signRequest({ scheme: 'github', secret: 'octo', method: 'POST', url: 'http://x/y', body: bytes, headers: new Headers() })
    expect(signed.headers).toEqual([['x-hub-signature-256', await octokitSign('octo', body)]])
  })

  it('writes the same webhook-signature as the standardwebhooks library, keeping a webhook-id given by hand', () => {
    const headers = new Headers({ 'webhook-id': 'msg_given' })
    const signed = signRequest({ scheme: 'standard-webhooks', secret: STANDARD_SECRET, method: 'POST', url: 'http://x/y', body: bytes, headers, timestamp: '1733500000' })
    const expected = new StandardWebhook(STANDARD_SECRET).sign('msg_given', new Date(1733500000 * 1000), body)
    expect(signed.headers).toEqual([['webhook-id', 'msg_given'], ['webhook-timestamp', '1733500000'], ['webhook-signature', expected]])
  })

  it('signs an old timestamp given with --timestamp, which the trigger refuses as expired', async () => {
    const { trigger } = setup([workflow('stripe', { scheme: 'stripe', secrets: ['whsec_s'] })])
    const old = String(Math.floor(Date.now() / 1000) - 3600)
    const response = await deliver(trigger, 'stripe', { scheme: 'stripe', secret: 'whsec_s', timestamp: old })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'signature_expired' } })
  })

  it('refuses a standard-webhooks secret that is not base64, naming the format', () => {
    expect(() => signRequest({ scheme: 'standard-webhooks', secret: 'whsec_not base64!', method: 'POST', url: 'http://x/y', body: bytes, headers: new Headers() }))
      .toThrow('a standard-webhooks secret is "whsec_" followed by base64')
  })

  it('refuses hmac without the header that carries the signature', () => {
    expect(() => signRequest({ scheme: 'hmac', secret: 's', method: 'POST', url: 'http://x/y', body: bytes, headers: new Headers() }))
      .toThrow('--sign hmac needs --hmac-header')
  })
})
