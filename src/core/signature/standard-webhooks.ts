/**
 * @module
 * Standard Webhooks (Svix, Clerk, Resend, ...): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (`v1,<base64>` entries separated by spaces), HMAC-SHA256 over
 * `{id}.{timestamp}.{body}` with the `whsec_`-prefixed base64 secret. Svix's own `svix-*`
 * header names are read too.
 */
import { decodeBase64, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'
import { checkTimestamp } from './timestamp.js'

function header(headers: Headers, name: string): string | null {
  return headers.get(`webhook-${name}`) ?? headers.get(`svix-${name}`)
}

export const standardWebhooks: SignatureScheme = {
  name: 'standard-webhooks',
  options: [],
  compile({ secrets, toleranceSeconds, problem }) {
    const keys = secrets.map((secret, i) => {
      const bytes = decodeBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret)
      if (!bytes || bytes.length === 0) problem(`/secrets/${i}`, 'must be a Standard Webhooks secret: "whsec_" and base64')
      return new HmacKey(bytes ?? new Uint8Array(0), 'sha256')
    })
    return async ({ request, body, now }) => {
      const id = header(request.headers, 'id')
      const timestamp = header(request.headers, 'timestamp')
      const signature = header(request.headers, 'signature')
      if (id === null || timestamp === null || signature === null) {
        throw signatureMissing('webhook-id, webhook-timestamp or webhook-signature')
      }
      checkTimestamp(timestamp, toleranceSeconds, now)
      const candidates = signature
        .split(' ')
        .filter((entry) => entry.startsWith('v1,'))
        .map((entry) => decodeBase64(entry.slice(3)))
        .filter((bytes) => bytes !== undefined)
      if (!(await anyMatch(keys, [utf8(`${id}.${timestamp}.`), body], candidates))) throw signatureInvalid()
    }
  },
}
