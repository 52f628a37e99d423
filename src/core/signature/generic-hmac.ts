/**
 * @module
 * The generic `hmac` scheme for senders without a preset: the signature in `header` (after an
 * optional `prefix`), written in `encoding`, is the HMAC (`algorithm`) of `signedContent`, a
 * template of literal text and `{body}` (the raw bytes), `{timestamp}` (from
 * `timestampHeader`), `{method}` and `{url}`.
 *
 * ```json
 * { "scheme": "hmac", "secrets": [{ "env": "ACME_SECRET" }], "header": "x-acme-signature",
 *   "prefix": "sha256=", "timestampHeader": "x-acme-timestamp", "signedContent": "{timestamp}.{body}" }
 * ```
 */
import { decodeBase64, decodeHex, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme, type SignedRequest } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'
import { checkTimestamp } from './timestamp.js'

export const PLACEHOLDERS = ['body', 'timestamp', 'method', 'url'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]
export type Part = { text: string } | { placeholder: Placeholder }

/** Splits `{timestamp}.{body}` into literal text and placeholders; unknown `{names}` are problems. */
export function parseContent(template: string, problem: (message: string) => void): Part[] {
  const parts: Part[] = []
  let last = 0
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1]!
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      problem(`has an unknown placeholder "{${name}}" (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`)
      continue
    }
    if (match.index > last) parts.push({ text: template.slice(last, match.index) })
    parts.push({ placeholder: name as Placeholder })
    last = match.index + match[0].length
  }
  if (last < template.length) parts.push({ text: template.slice(last) })
  return parts
}

function secretBytes(secret: string, encoding: 'utf8' | 'hex' | 'base64'): Uint8Array | undefined {
  if (encoding === 'hex') return decodeHex(secret)
  if (encoding === 'base64') return decodeBase64(secret)
  return utf8(secret)
}

export const genericHmac: SignatureScheme = {
  name: 'hmac',
  options: ['algorithm', 'encoding', 'header', 'prefix', 'timestampHeader', 'signedContent', 'secretEncoding'],
  compile({ config, secrets, toleranceSeconds, problem }) {
    const header = config.header?.toLowerCase()
    if (header === undefined) problem('/header', 'is required for scheme "hmac": the header that carries the signature')
    const prefix = config.prefix ?? ''
    const decode = config.encoding === 'base64' ? decodeBase64 : decodeHex
    const timestampHeader = config.timestampHeader?.toLowerCase()
    const parts = parseContent(config.signedContent ?? '{body}', (message) => problem('/signedContent', message))
    const uses = (name: Placeholder): number => parts.filter((part) => 'placeholder' in part && part.placeholder === name).length
    if (uses('body') !== 1) problem('/signedContent', 'must hold "{body}" exactly once')
    if (timestampHeader !== undefined && uses('timestamp') === 0) {
      problem('/signedContent', 'must hold "{timestamp}" when timestampHeader is set, or the timestamp is not signed')
    }
    if (timestampHeader === undefined && uses('timestamp') > 0) problem('/timestampHeader', 'is required when signedContent holds "{timestamp}"')
    const keys = secrets.map((secret, i) => {
      const bytes = secretBytes(secret, config.secretEncoding ?? 'utf8')
      if (!bytes || bytes.length === 0) problem(`/secrets/${i}`, `must be ${config.secretEncoding ?? 'utf8'} text, not empty`)
      return new HmacKey(bytes ?? new Uint8Array(0), config.algorithm ?? 'sha256')
    })

    return async ({ request, body, url, now }: SignedRequest) => {
      const signature = request.headers.get(header!)
      if (signature === null) throw signatureMissing(config.header!)
      let timestamp = ''
      if (timestampHeader !== undefined) {
        const value = request.headers.get(timestampHeader)
        if (value === null) throw signatureMissing(config.timestampHeader!)
        timestamp = checkTimestamp(value, toleranceSeconds, now)
      }
      const given = signature.startsWith(prefix) ? decode(signature.slice(prefix.length)) : undefined
      const values: Record<Placeholder, Uint8Array> = { body, timestamp: utf8(timestamp), method: utf8(request.method), url: utf8(url) }
      const content = parts.map((part) => ('text' in part ? utf8(part.text) : values[part.placeholder]))
      if (!given || !(await anyMatch(keys, content, [given]))) throw signatureInvalid()
    }
  },
}
