/**
 * @module
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the body with the app's client
 * secret. Shopify signs no timestamp; pair it with `idempotency` against replays.
 */
import { decodeBase64, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'

export const shopify: SignatureScheme = {
  name: 'shopify',
  options: [],
  compile({ secrets }) {
    const keys = secrets.map((secret) => new HmacKey(utf8(secret), 'sha256'))
    return async ({ request, body }) => {
      const header = request.headers.get('x-shopify-hmac-sha256')
      if (header === null) throw signatureMissing('X-Shopify-Hmac-Sha256')
      const given = decodeBase64(header)
      if (!given || !(await anyMatch(keys, [body], [given]))) throw signatureInvalid()
    }
  },
}
