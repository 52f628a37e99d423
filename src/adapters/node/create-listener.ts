/**
 * @module
 * Turns any fetch handler (a `WebhookTrigger`, a Hono app...) into a node:http request
 * listener, through the shared Node bridge: `toRequest`, the handler, `writeResponse`.
 *
 * ```ts
 * http.createServer(createListener(trigger)).listen(3000)
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type FetchHandler, serveRequest } from './serve-request.js'
import type { WriteResponseOptions } from './write-response.js'
import { fetchHandlerFor } from './mount-target.js'

export type { FetchHandler }

/**
 * What `createListener` takes besides the handler: where failures go, and how unread bodies are treated.
 *
 * @example
 * ```ts
 * import { createListener, type ListenerOptions } from 'hookflow/node'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 *
 * const options: ListenerOptions = { onError: (error) => console.error('webhook', error), lingerTimeout: 1_000 }
 * const listener = createListener(new WebhookTrigger({ engine: createEngine() }), options)
 * ```
 */
export interface ListenerOptions extends WriteResponseOptions {
  /** Called with what the handler threw (answered 500) or what failed while answering. Default `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * Turns a fetch handler (a `WebhookTrigger`, a Hono app…) into a node:http request listener.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine() })
 * http.createServer(createListener(trigger)).listen(3000)
 * ```
 */
export function createListener(
  handler: FetchHandler,
  options: ListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  fetchHandlerFor('createListener', handler)
  // Only the answer options: a listener always reads the URL and body from the request itself.
  const { onError, drainLimit, lingerTimeout } = options
  const serveOptions = { onError, drainLimit, lingerTimeout }
  return (req, res) => void serveRequest(handler, req, res, serveOptions)
}
