/**
 * @module
 * Signs a delivery the way each sender does, byte for byte what the trigger's schemes verify
 * (`src/core/signature`): the same signed content, encodings, header names and secret formats.
 *
 * ```ts
 * const { url, headers } = signRequest({ scheme: 'stripe', secret: 'whsec_…', method: 'POST',
 *   url: 'http://127.0.0.1:3000/api/webhook:trigger/pay', body, headers: new Headers() })
 * // headers: [['stripe-signature', 't=1733500000,v1=5257a869…']]
 * ```
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { UsageError } from '../cli-errors.js'
import { decodeBase64, decodeHex } from '../../core/signature/bytes.js'
import { parseContent, type Placeholder } from '../../core/signature/generic-hmac.js'
import { formSuffix, isForm } from '../../core/signature/twilio.js'

import type { SigningScheme } from './signing-schemes.js'

export { SIGNING_SCHEMES, type SigningScheme } from './signing-schemes.js'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'

/** The generic `hmac` scheme's settings, named as in the definition's `signature` block. */
export interface HmacSettings {
  header?: string
  prefix?: string
  algorithm?: HmacAlgorithm
  encoding?: 'hex' | 'base64'
  timestampHeader?: string
  signedContent?: string
  secretEncoding?: 'utf8' | 'hex' | 'base64'
}

export interface SignInput {
  scheme: SigningScheme
  secret: string
  method: string
  /** The URL the request goes to. */
  url: string
  /** The URL the sender signs when it differs (Twilio behind a proxy: the public URL). */
  signedUrl?: string
  body: Uint8Array
  /** The headers already set (a `webhook-id` or timestamp given by hand is signed as given). */
  headers: Headers
  /** Unix seconds, digits only. Default: now. */
  timestamp?: string
  /** Twilio: `sha1` (default) or `sha256`; `hmac`: see `hmac.algorithm`. */
  algorithm?: HmacAlgorithm
  hmac?: HmacSettings
}

export interface SignedRequest {
  /** The URL to send to (Twilio adds `bodySHA256` for a body that is not a form). */
  url: string
  /** Headers to add, lower-case names. */
  headers: Array<[string, string]>
}

const mac = (algorithm: HmacAlgorithm, key: Uint8Array | string, parts: ReadonlyArray<Uint8Array | string>): Buffer => {
  const hmac = createHmac(algorithm, key)
  for (const part of parts) hmac.update(part)
  return hmac.digest()
}

function standardWebhooksKey(secret: string): Uint8Array {
  const key = decodeBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret)
  if (!key || key.length === 0) throw new UsageError('a standard-webhooks secret is "whsec_" followed by base64')
  return key
}

function withQuery(url: string, name: string, value: string): string {
  const hash = url.indexOf('#')
  const base = hash < 0 ? url : url.slice(0, hash)
  return `${base}${base.includes('?') ? '&' : '?'}${name}=${value}`
}

function hmacSecret(secret: string, encoding: HmacSettings['secretEncoding']): Uint8Array {
  const bytes = encoding === 'hex' ? decodeHex(secret) : encoding === 'base64' ? decodeBase64(secret) : new TextEncoder().encode(secret)
  if (!bytes || bytes.length === 0) throw new UsageError(`the secret must be ${encoding ?? 'utf8'} text, not empty`)
  return bytes
}

function signHmac(input: SignInput, timestamp: string): SignedRequest {
  const settings = input.hmac ?? {}
  if (!settings.header) throw new UsageError('--sign hmac needs --hmac-header, the header that carries the signature')
  const problems: string[] = []
  const parts = parseContent(settings.signedContent ?? '{body}', (message) => problems.push(message))
  if (problems.length > 0) throw new UsageError(`--hmac-content ${problems[0]}`)
  const uses = (name: Placeholder): boolean => parts.some((part) => 'placeholder' in part && part.placeholder === name)
  if (uses('timestamp') && !settings.timestampHeader) throw new UsageError('--hmac-content signs {timestamp}: give --hmac-timestamp-header')
  const values: Record<Placeholder, Uint8Array | string> = { body: input.body, timestamp, method: input.method, url: input.signedUrl ?? input.url }
  const content = parts.map((part) => ('text' in part ? part.text : values[part.placeholder]))
  const digest = mac(settings.algorithm ?? 'sha256', hmacSecret(input.secret, settings.secretEncoding), content)
  const signature = `${settings.prefix ?? ''}${digest.toString(settings.encoding === 'base64' ? 'base64' : 'hex')}`
  const headers: Array<[string, string]> = [[settings.header.toLowerCase(), signature]]
  if (settings.timestampHeader) headers.push([settings.timestampHeader.toLowerCase(), timestamp])
  return { url: input.url, headers }
}

function signTwilio(input: SignInput): SignedRequest {
  const algorithm = input.algorithm ?? 'sha1'
  if (algorithm !== 'sha1' && algorithm !== 'sha256') throw new UsageError('Twilio signs with sha1 or sha256')
  const form = isForm(new Request('http://x', { method: 'POST', headers: input.headers }))
  let url = input.url
  let signedUrl = input.signedUrl ?? input.url
  // A body that is not a form is signed through the URL: its SHA-256 in `bodySHA256`.
  if (!form) {
    const hash = createHash('sha256').update(input.body).digest('hex')
    url = withQuery(url, 'bodySHA256', hash)
    signedUrl = withQuery(signedUrl, 'bodySHA256', hash)
  }
  const content = form ? signedUrl + formSuffix(input.body) : signedUrl
  const headers: Array<[string, string]> = [['x-twilio-signature', mac(algorithm, input.secret, [content]).toString('base64')]]
  if (algorithm === 'sha256') headers.push(['x-twilio-webhooks-signature-settings', 'algorithm=HMAC_SHA256'])
  return { url, headers }
}

export function signRequest(input: SignInput): SignedRequest {
  if (input.secret === '') throw new UsageError('the signing secret is empty')
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000))
  const { body, secret, url } = input
  switch (input.scheme) {
    case 'standard-webhooks': {
      const id = input.headers.get('webhook-id') ?? `msg_${randomBytes(12).toString('hex')}`
      const signedAt = input.headers.get('webhook-timestamp') ?? timestamp
      const signature = mac('sha256', standardWebhooksKey(secret), [`${id}.${signedAt}.`, body]).toString('base64')
      return { url, headers: [['webhook-id', id], ['webhook-timestamp', signedAt], ['webhook-signature', `v1,${signature}`]] }
    }
    case 'github':
      return { url, headers: [['x-hub-signature-256', `sha256=${mac('sha256', secret, [body]).toString('hex')}`]] }
    case 'stripe':
      return { url, headers: [['stripe-signature', `t=${timestamp},v1=${mac('sha256', secret, [`${timestamp}.`, body]).toString('hex')}`]] }
    case 'slack': {
      const signedAt = input.headers.get('x-slack-request-timestamp') ?? timestamp
      const signature = `v0=${mac('sha256', secret, [`v0:${signedAt}:`, body]).toString('hex')}`
      return { url, headers: [['x-slack-request-timestamp', signedAt], ['x-slack-signature', signature]] }
    }
    case 'shopify':
      return { url, headers: [['x-shopify-hmac-sha256', mac('sha256', secret, [body]).toString('base64')]] }
    case 'twilio':
      return signTwilio(input)
    case 'hmac':
      return signHmac(input, timestamp)
  }
}
