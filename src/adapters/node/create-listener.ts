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
import { badRequest, internalError } from '../../core/http-errors.js'
import { toRequest } from './to-request.js'
import { writeResponse, type WriteResponseOptions } from './write-response.js'

/** Anything with a Fetch API `fetch`: `WebhookTrigger`, `{ fetch: trigger.fetch }`, Hono... */
export interface FetchHandler {
  fetch(request: Request): Promise<Response> | Response
}

export interface ListenerOptions extends WriteResponseOptions {
  /** Called with what the handler threw (answered 500) or what failed while answering. Default `console.error`. */
  onError?: (error: unknown) => void
}

export function createListener(
  handler: FetchHandler,
  options: ListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const report = options.onError ?? console.error
  const onError = (error: unknown): void => {
    // A failing reporter must not turn into an unhandled rejection of the listener.
    try {
      report(error)
    } catch {}
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: Request
    try {
      request = toRequest(req, res)
    } catch {
      // Only a request Node accepted but the Fetch API cannot express (a TRACE method...).
      return writeResponse(res, badRequest('bad_request', 'Malformed request').toResponse(), req, options)
    }
    let response: Response
    try {
      // Called on the handler, so both class methods and detached arrow properties work.
      response = await handler.fetch(request)
      if (!(response instanceof Response)) throw new TypeError('The fetch handler did not return a Response')
    } catch (error) {
      // The client is gone and the handler gave up because of it: nothing to report or send.
      if (request.signal.aborted && res.destroyed) return
      onError(error)
      response = internalError().toResponse()
    }
    return writeResponse(res, response, req, options)
  }

  return (req, res) => {
    answer(req, res).catch((error: unknown) => {
      onError(error)
      if (!res.headersSent && !res.destroyed) {
        void writeResponse(res, internalError().toResponse(), req, options).catch(() => res.destroy())
      } else {
        res.destroy()
      }
    })
  }
}
