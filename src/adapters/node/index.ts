/**
 * `hookflow/node`: serve a `WebhookTrigger` (or any fetch handler) from node:http. The same
 * bridge, with streaming bodies, backpressure, a `signal` that fires when the client goes away
 * and clean early answers (413), is what the Express and Fastify adapters use.
 *
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'hello', sync: true, trigger: { type: 'webhook', id: 'hello' },
 *   nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * const trigger = new WebhookTrigger({ engine })
 * http.createServer(createListener(trigger)).listen(3000)
 * // curl -X POST localhost:3000/api/webhook:trigger/hello -H 'content-type: application/json' -d '{}'
 * ```
 *
 * @module hookflow/node
 */
export { createListener, type ListenerOptions } from './create-listener.js'
export { serveRequest, type FetchHandler, type ServeRequestOptions } from './serve-request.js'
export { toRequest, type ToRequestOptions } from './to-request.js'
export { writeResponse, DEFAULT_DRAIN_LIMIT, DEFAULT_LINGER_TIMEOUT, type WriteResponseOptions } from './write-response.js'
