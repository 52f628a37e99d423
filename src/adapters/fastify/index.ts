/**
 * `hookflow/fastify`: register a `WebhookTrigger` as a Fastify 5 plugin. The plugin takes the
 * raw request before Fastify parses it, so the core reads the body bytes and decides every
 * answer; unknown paths get Fastify's own 404. Without `prefix` it mounts at the trigger's
 * `basePath`; with one, `prefix` and `basePath` are the same path.
 *
 * ```ts
 * import Fastify from 'fastify'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import hookflowFastify from 'hookflow/fastify'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'hello', sync: true, trigger: { type: 'webhook', id: 'hello' },
 *   nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * const app = Fastify()
 * await app.register(hookflowFastify, { trigger: new WebhookTrigger({ engine, basePath: '/hooks' }), prefix: '/hooks' })
 * await app.listen({ port: 3000 })
 * // curl -X POST localhost:3000/hooks/hello -H 'content-type: application/json' -d '{}'
 * ```
 *
 * @module hookflow/fastify
 */
import { hookflowFastify } from './hookflow-fastify.js'

export { hookflowFastify, type HookflowFastifyOptions } from './hookflow-fastify.js'
export default hookflowFastify
