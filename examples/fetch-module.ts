/**
 * hookflow as a whole Fetch module: Bun (`bun examples/fetch-module.ts`), Deno
 * (`deno serve examples/fetch-module.ts`) and Cloudflare Workers serve a default export with a
 * `fetch`. `trigger.fetch` is an arrow property, so it works detached like this.
 *
 * curl -u webhook:secret -H 'content-type: application/json' -d '{"id":"p1","amount":2500}' \
 *   localhost:8000/api/webhook:trigger/1hfmkioou0d
 */
import { createEngine, WebhookTrigger } from '../src/index.js'
import { paymentCallback } from './workflows/payment-callback.js'

const engine = createEngine()
engine.register(paymentCallback)
const trigger = new WebhookTrigger({ engine })

export default { fetch: trigger.fetch }
