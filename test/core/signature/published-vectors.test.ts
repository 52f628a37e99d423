import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifier, withoutOneSpace } from './helpers.js'

// Each scheme against the example its sender publishes: accepted as published, refused once
// anything signed changes. The verifier runs over a real Request's raw bytes.

describe('Standard Webhooks: the specification’s cross-language vector', () => {
  // From the Standard Webhooks specification's library test suites (standard-webhooks/
  // standard-webhooks, libraries/*), also shown in Svix's manual-verification guide
  // (docs.svix.com/receiving/verifying-payloads/how-manual).
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
  const timestamp = 1614265330
  const body = '{"test": 2432232314}'
  const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
  const verify = verifier({ scheme: 'standard-webhooks', secrets: [secret] })
  const headers = (overrides: Record<string, string> = {}): Record<string, string> => ({
    'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature, ...overrides,
  })

  it('accepts the vector', async () => {
    expect(await verify({ headers: headers(), body }, timestamp)).toBe('ok')
  })

  it('accepts it among other signatures (rotation) and under svix-* header names', async () => {
    expect(await verify({ headers: headers({ 'webhook-signature': `v1,bm90LXRoaXMtb25l ${signature} v1a,xyz` }), body }, timestamp)).toBe('ok')
    const svix = { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': signature }
    expect(await verify({ headers: svix, body }, timestamp)).toBe('ok')
  })

  it('refuses a tampered body', async () => {
    expect(await verify({ headers: headers(), body: '{"test": 2432232315}' }, timestamp)).toBe('signature_invalid')
  })

  it('refuses the same JSON re-serialised (one space removed)', async () => {
    expect(await verify({ headers: headers(), body: withoutOneSpace(body) }, timestamp)).toBe('signature_invalid')
  })

  it('refuses a wrong secret', async () => {
    const other = verifier({ scheme: 'standard-webhooks', secrets: ['whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ='] })
    expect(await other({ headers: headers(), body }, timestamp)).toBe('signature_invalid')
  })

  it('refuses a changed message id', async () => {
    expect(await verify({ headers: headers({ 'webhook-id': 'msg_other' }), body }, timestamp)).toBe('signature_invalid')
  })

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a delivery without %s', async (name) => {
    const without = headers()
    delete without[name]
    expect(await verify({ headers: without, body }, timestamp)).toBe('signature_missing')
  })

  it('refuses a stale and a future timestamp beyond the 300 s tolerance, and accepts its edges', async () => {
    expect(await verify({ headers: headers(), body }, timestamp + 301)).toBe('signature_expired')
    expect(await verify({ headers: headers(), body }, timestamp - 301)).toBe('signature_expired')
    expect(await verify({ headers: headers(), body }, timestamp + 300)).toBe('ok')
    expect(await verify({ headers: headers(), body }, timestamp - 300)).toBe('ok')
  })
})

describe('GitHub: the documented X-Hub-Signature-256 example', () => {
  // docs.github.com, "Validating webhook deliveries": secret "It's a Secret to Everybody",
  // payload "Hello, World!".
  const secret = "It's a Secret to Everybody"
  const body = 'Hello, World!'
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
  const verify = verifier({ scheme: 'github', secrets: [secret] })

  it('accepts the example, hex in either case', async () => {
    expect(await verify({ headers: { 'x-hub-signature-256': signature }, body })).toBe('ok')
    expect(await verify({ headers: { 'x-hub-signature-256': `sha256=${signature.slice(7).toUpperCase()}` }, body })).toBe('ok')
  })

  it('refuses a tampered body', async () => {
    expect(await verify({ headers: { 'x-hub-signature-256': signature }, body: 'Hello, World?' })).toBe('signature_invalid')
  })

  it('refuses the body with one space removed', async () => {
    expect(await verify({ headers: { 'x-hub-signature-256': signature }, body: withoutOneSpace(body) })).toBe('signature_invalid')
  })

  it('refuses a wrong secret, a wrong prefix and malformed hex', async () => {
    const other = verifier({ scheme: 'github', secrets: ["It's a secret to everybody"] })
    expect(await other({ headers: { 'x-hub-signature-256': signature }, body })).toBe('signature_invalid')
    expect(await verify({ headers: { 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') }, body })).toBe('signature_invalid')
    expect(await verify({ headers: { 'x-hub-signature-256': `${signature}0` }, body })).toBe('signature_invalid')
  })

  it('refuses a delivery without the header', async () => {
    expect(await verify({ headers: {}, body })).toBe('signature_missing')
  })
})

describe('Slack: the documented example', () => {
  // docs.slack.dev, "Verifying requests from Slack": the slash-command example.
  const secret = '8f742231b10e8888abcd99yyyzzz85a5'
  const timestamp = 1531420618
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
  const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
  const verify = verifier({ scheme: 'slack', secrets: [secret] })
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) }

  it('accepts the example', async () => {
    expect(await verify({ headers, body }, timestamp)).toBe('ok')
  })

  it('refuses a tampered body', async () => {
    expect(await verify({ headers, body: body.replace('roadrunner', 'coyote') }, timestamp)).toBe('signature_invalid')
  })

  it('refuses the same form re-encoded (the body holds no space: %2F written as /)', async () => {
    expect(await verify({ headers, body: body.replace('%2Fwebhook', '/webhook') }, timestamp)).toBe('signature_invalid')
  })

  it('refuses a wrong secret', async () => {
    const other = verifier({ scheme: 'slack', secrets: ['8f742231b10e8888abcd99yyyzzz85a6'] })
    expect(await other({ headers, body }, timestamp)).toBe('signature_invalid')
  })

  it.each(['x-slack-signature', 'x-slack-request-timestamp'])('refuses a delivery without %s', async (name) => {
    const without: Record<string, string> = { ...headers }
    delete without[name]
    expect(await verify({ headers: without, body }, timestamp)).toBe('signature_missing')
  })

  it('refuses a stale and a future timestamp', async () => {
    expect(await verify({ headers, body }, timestamp + 301)).toBe('signature_expired')
    expect(await verify({ headers, body }, timestamp - 301)).toBe('signature_expired')
  })
})

describe('Shopify: base64 HMAC-SHA256 of the body', () => {
  // Shopify publishes no fixed vector: its API libraries' webhook tests compute the HMAC of a
  // body with the app secret at test time. So does this one, with node:crypto, independently of
  // the verifier, over a payload in the shape Shopify documents (shopify.dev, "Verify webhooks").
  const secret = 'hush'
  const body = '{"id": 820982911946154508, "email": "jon@example.com", "total_price": "199.65"}'
  const signature = createHmac('sha256', secret).update(body, 'utf8').digest('base64')
  const verify = verifier({ scheme: 'shopify', secrets: [secret] })
  const headers = { 'x-shopify-hmac-sha256': signature, 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' }

  it('accepts the signed body', async () => {
    expect(await verify({ headers, body })).toBe('ok')
  })

  it('refuses a tampered body', async () => {
    expect(await verify({ headers, body: body.replace('199.65', '0.01') })).toBe('signature_invalid')
  })

  it('refuses the body with one space removed', async () => {
    expect(await verify({ headers, body: withoutOneSpace(body) })).toBe('signature_invalid')
  })

  it('refuses a wrong secret', async () => {
    expect(await verifier({ scheme: 'shopify', secrets: ['Hush'] })({ headers, body })).toBe('signature_invalid')
  })

  it('refuses a delivery without the header', async () => {
    expect(await verify({ headers: { 'x-shopify-webhook-id': 'x' }, body })).toBe('signature_missing')
  })
})

describe('Twilio: the SDKs’ RequestValidator vectors', () => {
  // twilio-php's RequestValidatorTest (and twilio-csharp's, twilio-python's): auth token
  // "12345", this URL and these form parameters; and the JSON body signed through bodySHA256.
  const token = '12345'
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2'
  const form = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212'
  const formHeaders = (signature: string): Record<string, string> => ({
    'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature,
  })
  const verify = verifier({ scheme: 'twilio', secrets: [token] })

  it('accepts the form vector, whatever the order of the parameters', async () => {
    expect(await verify({ url, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form })).toBe('ok')
    const reordered = form.split('&').reverse().join('&')
    expect(await verify({ url, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: reordered })).toBe('ok')
  })

  it('accepts the vector with repeated and duplicate values', async () => {
    const body = 'Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234'
    expect(await verify({ url, headers: formHeaders('IK+Dwps556ElfBT0I3Rgjkr1wJU='), body })).toBe('ok')
  })

  it('accepts the vectors signed with the default port written out', async () => {
    expect(await verify({ url, headers: formHeaders('kvajT1Ptam85bY51eRf/AJRuM3w='), body: form })).toBe('ok')
    const http = url.replace('https', 'http')
    expect(await verify({ url: http, headers: formHeaders('0ZXoZLH/DfblKGATFgpif+LLRf4='), body: form })).toBe('ok')
  })

  it('accepts the JSON vector signed through bodySHA256', async () => {
    const body = '{"property": "value", "boolean": true}'
    const withHash = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`
    const headers = { 'content-type': 'application/json', 'x-twilio-signature': 'a9nBmqA0ju/hNViExpshrM61xv4=' }
    expect(await verify({ url: withHash, headers, body })).toBe('ok')
    expect(await verify({ url: withHash, headers, body: withoutOneSpace(body) })).toBe('signature_invalid')
    expect(await verify({ url: withHash, headers, body: body.replace('value', 'other') })).toBe('signature_invalid')
  })

  it('refuses a tampered parameter', async () => {
    expect(await verify({ url, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form.replace('1234', '9999') })).toBe('signature_invalid')
  })

  it('refuses a parameter value changed by one space', async () => {
    expect(await verify({ url, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form.replace('1234', '12+34') })).toBe('signature_invalid')
  })

  it('refuses another URL, a wrong token and a missing header', async () => {
    expect(await verify({ url: `${url}&extra=1`, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form })).toBe('signature_invalid')
    expect(await verifier({ scheme: 'twilio', secrets: ['12346'] })({ url, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form })).toBe('signature_invalid')
    expect(await verify({ url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).toBe('signature_missing')
  })

  it('checks the public URL Twilio called when publicOrigin is set', async () => {
    const behindProxy = verifier({ scheme: 'twilio', secrets: [token], publicOrigin: 'https://mycompany.com' })
    const internal = 'http://10.0.0.7:8080/myapp.php?foo=1&bar=2'
    expect(await behindProxy({ url: internal, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form })).toBe('ok')
    expect(await verify({ url: internal, headers: formHeaders('RSOYDt4T1cUTdK1PDd93/VVr8B8='), body: form })).toBe('signature_invalid')
  })
})

describe('Stripe: signed by its SDK at a fixed time', () => {
  // Stripe publishes no fixed vector; stripe-node's generateTestHeaderString is its own signer.
  // See real-senders.test.ts for the SDK through trigger.fetch; here the edges of its header.
  const secret = 'whsec_test_secret'
  const timestamp = 1_700_000_000
  const body = '{"id": "evt_1", "object": "event"}'
  const mac = (text: string, key = secret): string => createHmac('sha256', key).update(text).digest('hex')
  const header = `t=${timestamp},v1=${mac(`${timestamp}.${body}`)},v0=${'0'.repeat(64)}`
  const verify = verifier({ scheme: 'stripe', secrets: [secret] })
  const at = (h: string, b = body, now = timestamp): ReturnType<typeof verify> => verify({ headers: { 'stripe-signature': h }, body: b }, now)

  it('accepts the signed body, also among other v1 entries and junk items', async () => {
    expect(await at(header)).toBe('ok')
    expect(await at(`junk,t=${timestamp},v1=${'a'.repeat(64)},v1=${mac(`${timestamp}.${body}`)}`)).toBe('ok')
  })

  it('refuses a tampered body, one space removed, a wrong secret', async () => {
    expect(await at(header, body.replace('evt_1', 'evt_2'))).toBe('signature_invalid')
    expect(await at(header, withoutOneSpace(body))).toBe('signature_invalid')
    expect(await verifier({ scheme: 'stripe', secrets: ['whsec_other'] })({ headers: { 'stripe-signature': header }, body }, timestamp)).toBe('signature_invalid')
  })

  it('refuses a missing header, a header without t, and only v0 signatures', async () => {
    expect(await verify({ headers: {}, body }, timestamp)).toBe('signature_missing')
    expect(await at(`v1=${mac(`${timestamp}.${body}`)}`)).toBe('signature_timestamp_invalid')
    expect(await at(`t=${timestamp},v0=${mac(`${timestamp}.${body}`)}`)).toBe('signature_invalid')
  })

  it('refuses a stale and a future timestamp', async () => {
    expect(await at(header, body, timestamp + 301)).toBe('signature_expired')
    expect(await at(header, body, timestamp - 301)).toBe('signature_expired')
  })
})

describe('generic hmac: a sender described by its settings', () => {
  // No publisher: node:crypto signs as such a sender documents it, "{timestamp}.{body}" in hex.
  const secret = 'acme'
  const timestamp = 1_700_000_000
  const body = '{"order": 1, "total": "9.50"}'
  const sign = (ts: number, b: string, key = secret): string => `sha256=${createHmac('sha256', key).update(`${ts}.${b}`).digest('hex')}`
  const verify = verifier({ scheme: 'hmac', secrets: [secret], header: 'X-Acme-Signature', prefix: 'sha256=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{timestamp}.{body}' })
  const headers = (signature = sign(timestamp, body)): Record<string, string> => ({ 'x-acme-signature': signature, 'x-acme-timestamp': String(timestamp) })

  it('accepts what it signs', async () => {
    expect(await verify({ headers: headers(), body }, timestamp)).toBe('ok')
  })

  it('refuses a tampered body, one space removed, a wrong secret', async () => {
    expect(await verify({ headers: headers(), body: body.replace('9.50', '0.50') }, timestamp)).toBe('signature_invalid')
    expect(await verify({ headers: headers(), body: withoutOneSpace(body) }, timestamp)).toBe('signature_invalid')
    expect(await verify({ headers: headers(sign(timestamp, body, 'other')), body }, timestamp)).toBe('signature_invalid')
  })

  it('refuses a missing signature or timestamp header', async () => {
    expect(await verify({ headers: { 'x-acme-timestamp': String(timestamp) }, body }, timestamp)).toBe('signature_missing')
    expect(await verify({ headers: { 'x-acme-signature': sign(timestamp, body) }, body }, timestamp)).toBe('signature_missing')
  })

  it('refuses a stale and a future timestamp', async () => {
    expect(await verify({ headers: headers(), body }, timestamp + 301)).toBe('signature_expired')
    expect(await verify({ headers: headers(), body }, timestamp - 301)).toBe('signature_expired')
  })

  it('signs {method} and {url} when asked', async () => {
    const url = 'https://hooks.example.com/api/webhook:trigger/x'
    const withUrl = verifier({ scheme: 'hmac', secrets: [secret], header: 'x-sig', encoding: 'base64', signedContent: '{method} {url}\n{body}' })
    const signature = createHmac('sha256', secret).update(`POST ${url}\n${body}`).digest('base64')
    expect(await withUrl({ url, headers: { 'x-sig': signature }, body })).toBe('ok')
    expect(await withUrl({ url: `${url}?x=1`, headers: { 'x-sig': signature }, body })).toBe('signature_invalid')
  })
})
