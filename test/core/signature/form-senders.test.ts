import { createHmac } from 'node:crypto'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import type { SignatureConfig, WorkflowDefinition } from '../../../src/index.js'
import { expectErrorBody, expectNoExecution, idPath, request, settledExecution, setup } from '../../helpers/webhook.js'

// Twilio's default deliveries and Slack's slash commands are form-encoded: signed over the form,
// verified over the raw bytes, then parsed into `$context.body` (with `contentTypes: ['form']`).

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function formWorkflow(key: string, signature: SignatureConfig): WorkflowDefinition {
  return {
    key,
    trigger: { type: 'webhook', id: key, signature, request: { contentTypes: ['form'] } },
    nodes: [{ key: 'done', type: 'end' }],
  }
}

describe('form-encoded deliveries from signing senders, through trigger.fetch', () => {
  it('runs what twilio signs for its public URL, and refuses a changed parameter', async () => {
    const token = 'twilio-auth-token'
    const publicOrigin = 'https://hooks.example.com'
    const { engine, trigger } = setup([formWorkflow('sms', { scheme: 'twilio', secrets: [token], publicOrigin })])
    const query = '?tenant=7'
    const params = { From: '+15551234567', Body: 'hello world & more', MessageSid: 'SM1' }
    const form = new URLSearchParams(params).toString()
    const signature = twilio.getExpectedTwilioSignature(token, `${publicOrigin}${idPath('sms')}${query}`, params)

    const accepted = await trigger.fetch(request(idPath('sms') + query, { method: 'POST', headers: { ...FORM, 'x-twilio-signature': signature }, body: form }))
    expect(accepted.status).toBe(200)
    const execution = await settledExecution(engine, accepted)
    expect(execution.status).toBe('resolved')
    expect(execution.context.body).toEqual(params)

    const tampered = form.replace('SM1', 'SM2')
    const refused = await trigger.fetch(request(idPath('sms') + query, { method: 'POST', headers: { ...FORM, 'x-twilio-signature': signature }, body: tampered }))
    expect(refused.status).toBe(401)
    await expectErrorBody(refused, 'signature_invalid')
  })

  it('runs a slash command Slack signed a moment ago, and refuses the same bytes signed too long ago', async () => {
    const secret = 'slack-signing-secret'
    const { engine, trigger } = setup([formWorkflow('slash', { scheme: 'slack', secrets: [secret] })])
    const form = 'command=%2Fdeploy&text=api+prod&user_id=U2CERLKJA&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1'
    const signed = (timestamp: number): Record<string, string> => ({
      ...FORM,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${form}`).digest('hex')}`,
    })
    const now = Math.floor(Date.now() / 1000)

    const accepted = await trigger.fetch(request(idPath('slash'), { method: 'POST', headers: signed(now), body: form }))
    expect(accepted.status).toBe(200)
    const execution = await settledExecution(engine, accepted)
    expect(execution.context.body).toMatchObject({ command: '/deploy', text: 'api prod', user_id: 'U2CERLKJA' })

    const { engine: fresh, trigger: other } = setup([formWorkflow('slash', { scheme: 'slack', secrets: [secret] })])
    const stale = await other.fetch(request(idPath('slash'), { method: 'POST', headers: signed(now - 301), body: form }))
    expect(stale.status).toBe(401)
    await expectErrorBody(stale, 'signature_expired')
    await expectNoExecution(fresh)
  })
})
