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

export interface ListenerOptions extends WriteResponseOptions {
  /** Called with what the handler threw (answered 500) or what failed while answering. Default `console.error`. */
  onError?: (error: unknown) => void
}

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
