/**
 * hookflow inside a Hono app: `trigger.fetch` is a plain Fetch handler, so one route hands it
 * every request under the trigger's `basePath` (`/hooks`), untouched; the app's other routes
 * and its own 404 are Hono's. The same file serves on Node (`npx tsx examples/hono.ts`, through
 * @hono/node-server) and as is on Bun and Deno (`export default app`).
 *
 * curl -u webhook:secret -H 'content-type: application/json' -d '{"id":"p1","amount":2500}' \
 *   localhost:3000/hooks/1hfmkioou0d
 */
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createEngine, WebhookTrigger } from '../src/index.js'
import { paymentCallback } from './workflows/payment-callback.js'

export const engine = createEngine()
engine.register(paymentCallback)
const trigger = new WebhookTrigger({ engine, basePath: '/hooks' })

export const app = new Hono()
app.get('/', (c) => c.text('the rest of the app'))
// The raw Request, never `c.req.json()`: the core reads the body bytes itself.
app.all('/hooks/*', (c) => trigger.fetch(c.req.raw))

export default app

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve({ fetch: app.fetch, port: 3000 }, ({ port }) => console.log(`listening on http://localhost:${port}`))
}
