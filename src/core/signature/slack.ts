/**
 * @module
 * Slack: `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`, HMAC-SHA256 over
 * `v0:{timestamp}:{body}` with the app's signing secret.
 */
import { decodeHex, utf8 } from './bytes.js'
import { HmacKey } from './hmac-key.js'
import { anyMatch, type SignatureScheme } from './signature-scheme.js'
import { signatureInvalid, signatureMissing } from './signature-errors.js'
import { checkTimestamp } from './timestamp.js'

export const slack: SignatureScheme = {
  name: 'slack',
  options: [],
  compile({ secrets, toleranceSeconds }) {
    const keys = secrets.map((secret) => new HmacKey(utf8(secret), 'sha256'))
    return async ({ request, body, now }) => {
      const signature = request.headers.get('x-slack-signature')
      const timestamp = request.headers.get('x-slack-request-timestamp')
      if (signature === null || timestamp === null) throw signatureMissing('X-Slack-Signature or X-Slack-Request-Timestamp')
      checkTimestamp(timestamp, toleranceSeconds, now)
      const given = signature.startsWith('v0=') ? decodeHex(signature.slice(3)) : undefined
      if (!given || !(await anyMatch(keys, [utf8(`v0:${timestamp}:`), body], [given]))) throw signatureInvalid()
    }
  },
}
