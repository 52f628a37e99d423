/**
 * @module
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]`, HMAC-SHA256 over
 * `{t}.{body}` with the endpoint's signing secret (`whsec_...`, used as written). Several
 * `v1` entries arrive while Stripe rolls a secret; `v0` (test-mode legacy) is ignored.
 */
import { decodeHex, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing, timestampInvalid } from './signature-errors.js'
import { checkTimestamp } from './timestamp.js'

export const stripe: SignatureScheme = {
  name: 'stripe',
  options: [],
  compile({ secrets, toleranceSeconds }) {
    const keys = secrets.map((secret) => new HmacKey(utf8(secret), 'sha256'))
    return async ({ request, body, now }) => {
      const header = request.headers.get('stripe-signature')
      if (header === null) throw signatureMissing('Stripe-Signature')
      let timestamp: string | undefined
      const candidates: Uint8Array[] = []
      for (const item of header.split(',')) {
        const equals = item.indexOf('=')
        if (equals < 0) continue
        const name = item.slice(0, equals)
        const value = item.slice(equals + 1)
        if (name === 't' && timestamp === undefined) timestamp = value
        if (name === 'v1') {
          const bytes = decodeHex(value)
          if (bytes) candidates.push(bytes)
        }
      }
      if (timestamp === undefined) throw timestampInvalid()
      checkTimestamp(timestamp, toleranceSeconds, now)
      if (!(await anyMatch(keys, [utf8(`${timestamp}.`), body], candidates))) throw signatureInvalid()
    }
  },
}
