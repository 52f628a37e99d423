/**
 * @module
 * What every inspector route works with: the engine, the triggers that serve its workflows,
 * and the hub of live events.
 */
import type { Engine } from '../engine/engine.js'
import type { WebhookTrigger } from '../core/webhook-trigger.js'
import type { EventHub } from './event-hub.js'

/**
 * What the inspector uses of a trigger: its answers, its URLs and its declared variables.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import type { InspectorTrigger } from 'hookflow/inspector'
 *
 * const engine = createEngine()
 * const triggers: InspectorTrigger[] = [new WebhookTrigger({ engine }), new WebhookTrigger({ engine, basePath: '/hooks' })]
 * ```
 */
export type InspectorTrigger = Pick<WebhookTrigger, 'engine' | 'basePath' | 'fetch' | 'urlFor' | 'variables'>

export interface InspectorContext {
  readonly engine: Engine
  /** At least one; test deliveries go through the first. */
  readonly triggers: readonly InspectorTrigger[]
  readonly events: EventHub
}
