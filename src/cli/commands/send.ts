/**
 * @module
 * `hookflow send <url>`: one delivery, signed exactly as the named sender signs it, and the
 * answer printed (status, headers, body). Exit 0 for an answer below 400, 1 otherwise.
 *
 * ```sh
 * hookflow send http://127.0.0.1:3000/api/webhook:trigger/pay --data @event.json --sign stripe --secret whsec_...
 * echo '{"ref":"main"}' | hookflow send $URL --data - --sign github --secret-env GITHUB_WEBHOOK_SECRET --json
 * ```
 */
import type { Command } from '../command.js'
import { SIGNING_SCHEMES } from '../send/signing-schemes.js'

const HELP = `Usage: hookflow send <url> [options]

Sends one delivery and prints the answer: status, headers and body. With --sign, the request
is signed exactly as that sender signs it (the same bytes the trigger verifies).

Options:
  --data <text | @file | ->     the body: text, a file's bytes, or stdin (default: none)
  --header 'name: value'        a request header; repeat for more
  --method <method>             default POST
  --sign <scheme>               ${SIGNING_SCHEMES.join(', ')}
  --secret <secret>             the signing secret (as the trigger's definition holds it)
  --secret-env <NAME>           read the secret from this environment variable instead
  --timestamp <seconds>         sign this Unix time instead of now (to try the tolerance window)
  --signed-url <url>            Twilio, hmac {url}: the URL the sender signs, when it is not
                                the one called (a public URL in front of a proxy)
  --algorithm <sha1|sha256|sha512>  hmac: the HMAC (default sha256); twilio: sha1 or sha256
  --hmac-header <name>          hmac: the header carrying the signature (required)
  --hmac-prefix <text>          hmac: written before the signature (e.g. sha256=)
  --hmac-encoding <hex|base64>  hmac: default hex
  --hmac-timestamp-header <name>  hmac: the header carrying the timestamp
  --hmac-content <template>     hmac: the signed text, of {body}, {timestamp}, {method}, {url}
  --secret-encoding <utf8|hex|base64>  hmac: how the secret is written (default utf8)
  --timeout <ms>                give up after this long (default 30000)
  --json                        the answer as one JSON object
  -h, --help                    this help

Without a content-type header, a body that parses as JSON is sent as application/json, one
that reads like a=1&b=2 as a form, anything else as text/plain.
Exit codes: 0 when the answer is below 400, 1 for a 4xx/5xx answer or no answer, 2 for usage.`

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send one delivery, signed as a sender signs it, and print the answer',
  help: HELP,
  options: {
    data: { type: 'string', short: 'd' },
    header: { type: 'string', short: 'H', multiple: true },
    method: { type: 'string', short: 'X' },
    sign: { type: 'string' },
    secret: { type: 'string' },
    'secret-env': { type: 'string' },
    timestamp: { type: 'string' },
    'signed-url': { type: 'string' },
    algorithm: { type: 'string' },
    'hmac-header': { type: 'string' },
    'hmac-prefix': { type: 'string' },
    'hmac-encoding': { type: 'string' },
    'hmac-timestamp-header': { type: 'string' },
    'hmac-content': { type: 'string' },
    'secret-encoding': { type: 'string' },
    timeout: { type: 'string' },
  },
  async run(args, context) {
    const { runSend } = await import('../send/run-send.js')
    return runSend(args, context)
  },
}
