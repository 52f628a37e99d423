/**
 * @module
 * Twilio: `X-Twilio-Signature: <base64>`, HMAC-SHA1 (or SHA-256 when
 * `X-Twilio-Webhooks-Signature-Settings` says `algorithm=HMAC_SHA256`) with the auth token over
 * the full URL Twilio called, followed for form bodies by every parameter name and value,
 * sorted by name. JSON bodies are signed through the URL's `bodySHA256` parameter, the hex
 * SHA-256 of the raw body, checked too.
 *
 * Twilio signs the public URL. Behind a proxy that changes scheme, host or port, set
 * `signature.publicOrigin` (`https://hooks.example.com`): the request's path and query are kept
 * and put after it. As Twilio's SDKs do, the URL is tried with and without its default port.
 */
import { decodeBase64, encodeHex, utf8 } from './bytes.js'
import { HmacKey, sha256 } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'
import { timingSafeEqual } from '../timing-safe-equal.js'

const decoder = new TextDecoder()

function withPublicOrigin(url: string, origin: string | undefined): string {
  if (origin === undefined) return url
  const start = url.indexOf('/', url.indexOf('//') + 2)
  return origin + (start < 0 ? '/' : url.slice(start))
}

/** The URL as is, without its port, and with the default port written out: Twilio may sign any. */
function portVariants(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([\s\S]*)$/i.exec(url)
  if (!match) return [url]
  const [, scheme = '', authority = '', rest = ''] = match
  const at = authority.lastIndexOf('@')
  const userInfo = authority.slice(0, at + 1)
  const hostPort = authority.slice(at + 1)
  // A colon starts the port only after an IPv6 literal's closing bracket.
  const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1)
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon)
  const port = colon < 0 ? (scheme.toLowerCase() === 'https://' ? ':443' : ':80') : hostPort.slice(colon)
  return [...new Set([url, scheme + userInfo + host + rest, scheme + userInfo + host + port + rest])]
}

/** Name then value for each parameter, names sorted, each name's distinct values sorted. */
export function formSuffix(body: Uint8Array): string {
  const params = new Map<string, Set<string>>()
  for (const [name, value] of new URLSearchParams(decoder.decode(body))) {
    let values = params.get(name)
    if (!values) params.set(name, (values = new Set()))
    values.add(value)
  }
  let out = ''
  for (const name of [...params.keys()].sort()) {
    for (const value of [...params.get(name)!].sort()) out += name + value
  }
  return out
}

export function isForm(request: Request): boolean {
  const type = request.headers.get('content-type')
  return type !== null && type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

export const twilio: SignatureScheme = {
  name: 'twilio',
  options: ['publicOrigin'],
  compile({ config, secrets }) {
    const keys = {
      sha1: secrets.map((secret) => new HmacKey(utf8(secret), 'sha1')),
      sha256: secrets.map((secret) => new HmacKey(utf8(secret), 'sha256')),
    }
    return async ({ request, body, url }) => {
      const header = request.headers.get('x-twilio-signature')
      if (header === null) throw signatureMissing('X-Twilio-Signature')
      const given = decodeBase64(header)
      const settings = request.headers.get('x-twilio-webhooks-signature-settings') ?? ''
      const algorithm = /(?:^|,)\s*algorithm=([^,]*)/.exec(settings)?.[1]?.trim().toUpperCase() || 'HMAC_SHA1'
      const hmacKeys = algorithm === 'HMAC_SHA1' ? keys.sha1 : algorithm === 'HMAC_SHA256' ? keys.sha256 : undefined
      if (!given || !hmacKeys) throw signatureInvalid()
      const signedUrl = withPublicOrigin(url, config.publicOrigin)
      const bodyHash = new URL(signedUrl).searchParams.get('bodySHA256')
      const suffix = bodyHash === null && isForm(request) ? formSuffix(body) : ''
      let matched = false
      for (const candidate of portVariants(signedUrl)) {
        if (await anyMatch(hmacKeys, [utf8(candidate + suffix)], [given])) matched = true
      }
      if (bodyHash !== null) {
        const actual = utf8(encodeHex(await sha256(body)))
        if (!timingSafeEqual(actual, utf8(bodyHash.toLowerCase()))) matched = false
      }
      if (!matched) throw signatureInvalid()
    }
  },
}
