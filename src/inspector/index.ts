/**
 * `hookflow/inspector`: a page to watch executions as they happen, see what each node received
 * and returned, and retry, cancel or replay them; and the JSON API it reads. One more fetch
 * handler, mounted beside the trigger in the server you already have.
 *
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 * import { createInspector } from 'hookflow/inspector'
 *
 * const engine = createEngine()
 * engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] })
 * const trigger = new WebhookTrigger({ engine })
 * const inspector = createInspector({ engine, trigger, auth: { username: 'admin', password: process.env.INSPECTOR_PASSWORD! } })
 * http.createServer(createListener({
 *   fetch: (request) => (inspector.handles(new URL(request.url).pathname) ? inspector.fetch(request) : trigger.fetch(request)),
 * })).listen(3000)
 * // open http://localhost:3000/hookflow/
 * ```
 *
 * @module hookflow/inspector
 */
export { createInspector, DEFAULT_INSPECTOR_PATH, type Inspector, type InspectorOptions } from './create-inspector.js'
export type { InspectorAuth, InspectorBasicAuth, InspectorAuthenticate } from './inspector-auth.js'
export type { InspectorTrigger } from './inspector-context.js'
export type { ExecutionSummary } from './execution-summary.js'
export type { WorkflowSummary } from './routes/workflows.js'
export type { TestDelivery, TestDeliveryAnswer } from './routes/test-delivery.js'
export type { NodeOutline } from './node-outline.js'
export type { InspectorEventName } from './event-hub.js'
export { CONTENT_SECURITY_POLICY } from './security-headers.js'
export { PAGE_SIZE } from './page/page-assets.js'
