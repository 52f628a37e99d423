/**
 * @module
 * GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the body with the webhook
 * secret. The SHA-1 `X-Hub-Signature` is not accepted.
 */
import { decodeHex, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'

export const github: SignatureScheme = {
  name: 'github',
  options: [],
  compile({ secrets }) {
    const keys = secrets.map((secret) => new HmacKey(utf8(secret), 'sha256'))
    return async ({ request, body }) => {
      const header = request.headers.get('x-hub-signature-256')
      if (header === null) throw signatureMissing('X-Hub-Signature-256')
      const given = header.startsWith('sha256=') ? decodeHex(header.slice(7)) : undefined
      if (!given || !(await anyMatch(keys, [body], [given]))) throw signatureInvalid()
    }
  },
}
