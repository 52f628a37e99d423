/**
 * @module
 * What `hookflow dev` serves, composed in one place: a list of handlers, each owning the paths
 * its `handles` accepts, asked in order: the trigger, the inspector (when there is one), and
 * last a JSON 404 for every other path.
 *
 * ```ts
 * const handler = composeHandlers(devHandlers({ trigger, deliveries }))
 * http.createServer(createListener(handler)).listen(3000, '127.0.0.1')
 * ```
 */
import type { WebhookTrigger } from '../../core/webhook-trigger.js'
import type { FetchHandler } from '../../adapters/node/serve-request.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { splitUrl } from '../../core/split-url.js'
import type { DeliveryLog } from './delivery-log.js'
import type { Inspector } from '../../inspector/create-inspector.js'

export interface ServedHandler {
  readonly name: string
  /** True for the paths this handler answers. */
  handles(pathname: string): boolean
  fetch(request: Request): Promise<Response> | Response
}

/** Every handler `dev` serves, in the order they are asked. */
export function devHandlers(parts: { trigger: WebhookTrigger; deliveries: DeliveryLog; inspector?: Inspector }): ServedHandler[] {
  const { trigger, deliveries, inspector } = parts
  const notFound = `hookflow dev serves workflows under ${trigger.basePath}${inspector ? ` and the inspector under ${inspector.basePath}` : ''}`
  return [
    { name: 'trigger', handles: (pathname) => trigger.handles(pathname), fetch: deliveries.wrap(trigger.fetch) },
    // The page's own requests are not deliveries: not logged.
    ...(inspector ? [{ name: 'inspector', handles: (pathname: string) => inspector.handles(pathname), fetch: inspector.fetch }] : []),
    // Logged too: a request to a mistyped URL is what a developer needs to see.
    { name: 'not-found', handles: () => true, fetch: deliveries.wrap(async () => new HookflowError('not_found', notFound, { status: 404 }).toResponse()) },
  ]
}

/** One fetch handler: the first handler that handles the path answers. */
export function composeHandlers(handlers: readonly ServedHandler[]): FetchHandler {
  return {
    fetch(request) {
      const { pathname } = splitUrl(request.url)
      for (const handler of handlers) if (handler.handles(pathname)) return handler.fetch(request)
      return new HookflowError('not_found', 'Nothing is served here', { status: 404 }).toResponse()
    },
  }
}
