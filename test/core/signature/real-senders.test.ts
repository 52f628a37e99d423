import { createHash, createHmac } from 'node:crypto'
import { sign as octokitSign } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import type { SignatureConfig, WorkflowDefinition } from '../../../src/index.js'
import { expectErrorBody, expectNoExecution, idPath, ORIGIN, request, settledExecution, setup } from '../../helpers/webhook.js'
import { verifier } from './helpers.js'

// The senders' own libraries sign; hookflow must accept exactly what they sign, through
// trigger.fetch, and run the workflow with the parsed body.

const body = JSON.stringify({ id: 'evt_1', type: 'demo.created', data: { note: 'naïve ☃', n: 1.5 } }, null, 1)
const secrets = {
  standard: `whsec_${Buffer.from('a-standard-webhooks-secret-32by!').toString('base64')}`,
  github: 'octo-secret',
  stripe: 'whsec_stripe_test_secret',
  twilio: 'twilio-auth-token',
}

function workflow(key: string, signature: SignatureConfig): WorkflowDefinition {
  return { key, trigger: { type: 'webhook', id: key, signature }, nodes: [{ key: 'done', type: 'end' }] }
}

function deliver(key: string, headers: Record<string, string>, payload = body, query = ''): Request {
  return request(idPath(key) + query, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload })
}

async function expectRun(engine: Parameters<typeof settledExecution>[0], response: Response): Promise<void> {
  expect(response.status).toBe(200)
  const execution = await settledExecution(engine, response)
  expect(execution.status).toBe('resolved')
  expect(execution.context.body).toEqual(JSON.parse(body))
}

describe('real senders sign, hookflow accepts', () => {
  it('accepts what the standardwebhooks library signs', async () => {
    const { engine, trigger } = setup([workflow('sw', { scheme: 'standard-webhooks', secrets: [secrets.standard] })])
    const now = new Date()
    const signature = new StandardWebhook(secrets.standard).sign('msg_1', now, body)
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature }
    await expectRun(engine, await trigger.fetch(deliver('sw', headers)))
  })

  it('accepts what svix signs, under its svix-* header names', async () => {
    const { engine, trigger } = setup([workflow('svix', { scheme: 'standard-webhooks', secrets: [secrets.standard] })])
    const now = new Date()
    const signature = new SvixWebhook(secrets.standard).sign('msg_2', now, body)
    const headers = { 'svix-id': 'msg_2', 'svix-timestamp': String(Math.floor(now.getTime() / 1000)), 'svix-signature': signature }
    await expectRun(engine, await trigger.fetch(deliver('svix', headers)))
  })

  it('accepts what stripe’s generateTestHeaderString signs', async () => {
    const { engine, trigger } = setup([workflow('stripe', { scheme: 'stripe', secrets: [secrets.stripe] })])
    const stripe = new Stripe('sk_test_unused')
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: secrets.stripe })
    await expectRun(engine, await trigger.fetch(deliver('stripe', { 'stripe-signature': header })))
  })

  it('accepts what @octokit/webhooks-methods signs', async () => {
    const { engine, trigger } = setup([workflow('github', { scheme: 'github', secrets: [secrets.github] })])
    const signature = await octokitSign(secrets.github, body)
    await expectRun(engine, await trigger.fetch(deliver('github', { 'x-hub-signature-256': signature, 'x-github-delivery': 'd-1' })))
  })

  it('accepts what twilio signs for a JSON body (bodySHA256 in the URL)', async () => {
    const { engine, trigger } = setup([workflow('twilio', { scheme: 'twilio', secrets: [secrets.twilio] })])
    const query = `?bodySHA256=${createHash('sha256').update(body).digest('hex')}`
    const url = `${ORIGIN}${idPath('twilio')}${query}`
    const signature = twilio.getExpectedTwilioSignature(secrets.twilio, url, {})
    expect(twilio.validateRequestWithBody(secrets.twilio, signature, url, body)).toBe(true)
    await expectRun(engine, await trigger.fetch(deliver('twilio', { 'x-twilio-signature': signature }, body, query)))
  })

  it('accepts what twilio signs for a form body, SHA-1 and SHA-256', async () => {
    const verify = verifier({ scheme: 'twilio', secrets: [secrets.twilio] })
    const url = 'https://hooks.example.com/sms?tenant=7'
    const params = { From: '+15551234567', Body: 'hello world & more', MessageSid: 'SM1', Media: ['b', 'a', 'b'] }
    const form = new URLSearchParams([['From', params.From], ['Body', params.Body], ['MessageSid', params.MessageSid], ['Media', 'b'], ['Media', 'a'], ['Media', 'b']]).toString()
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const sha1 = twilio.getExpectedTwilioSignature(secrets.twilio, url, params)
    expect(await verify({ url, headers: { ...headers, 'x-twilio-signature': sha1 }, body: form })).toBe('ok')
    const sha256 = twilio.getExpectedTwilioSignature(secrets.twilio, url, params, 'HMAC_SHA256')
    const settings = { 'x-twilio-webhooks-signature-settings': 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256' }
    expect(await verify({ url, headers: { ...headers, ...settings, 'x-twilio-signature': sha256 }, body: form })).toBe('ok')
    expect(await verify({ url, headers: { ...headers, 'x-twilio-signature': sha256 }, body: form })).toBe('signature_invalid')
  })

  it('accepts a generic hmac sender: base64 SHA-512 over "{timestamp}.{body}" with a prefix', async () => {
    const signature: SignatureConfig = {
      scheme: 'hmac', secrets: ['acme-secret'], algorithm: 'sha512', encoding: 'base64',
      header: 'X-Acme-Signature', prefix: 'v1=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{timestamp}.{body}',
    }
    const { engine, trigger } = setup([workflow('acme', signature)])
    const timestamp = String(Math.floor(Date.now() / 1000))
    const mac = createHmac('sha512', 'acme-secret').update(`${timestamp}.${body}`).digest('base64')
    await expectRun(engine, await trigger.fetch(deliver('acme', { 'x-acme-signature': `v1=${mac}`, 'x-acme-timestamp': timestamp })))
    const replayedLater = await trigger.fetch(deliver('acme', { 'x-acme-signature': `v1=${mac}`, 'x-acme-timestamp': String(Number(timestamp) - 1) }))
    expect(replayedLater.status).toBe(401)
    await expectErrorBody(replayedLater, 'signature_invalid')
  })

  it('refuses what a sender signed with another secret, and stores nothing', async () => {
    const { engine, trigger } = setup([workflow('github', { scheme: 'github', secrets: [secrets.github] })])
    const response = await trigger.fetch(deliver('github', { 'x-hub-signature-256': await octokitSign('not-the-secret', body) }))
    expect(response.status).toBe(401)
    await expectErrorBody(response, 'signature_invalid')
    await expectNoExecution(engine)
  })
})
