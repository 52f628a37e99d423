/**
 * `hookflow/express`: mount a `WebhookTrigger` in an Express 5 (or 4) app. Mount it at the
 * trigger's `basePath` and before any body parser: the core reads the raw bytes itself.
 * Paths the trigger does not own go on to `next()`.
 *
 * ```ts
 * import express from 'express'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { handle } from 'hookflow/express'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'hello', sync: true, trigger: { type: 'webhook', id: 'hello' },
 *   nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * const app = express()
 * app.use('/hooks', handle(new WebhookTrigger({ engine, basePath: '/hooks' })))
 * app.use(express.json()) // the app's own routes may parse bodies after it
 * app.listen(3000)
 * // curl -X POST localhost:3000/hooks/hello -H 'content-type: application/json' -d '{}'
 * ```
 *
 * @module hookflow/express
 */
export { handle, type HandleOptions, type ExpressMiddleware, type ExpressRequest } from './handle.js'
