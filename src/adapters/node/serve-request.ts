/**
 * @module
 * One request through the whole Node bridge: `createNodeRequest`, the fetch handler, `writeResponse`,
 * with every failure answered or reported. `createListener` is this per request; the Express
 * and Fastify adapters call it with the framework's full URL (and body bytes, if read already).
 *
 * ```ts
 * app.use((req, res) => serveRequest(trigger, req, res, { url: req.originalUrl }))
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { badRequest, internalError } from '../../core/http-errors.js'
import type { ToRequestOptions } from './to-request.js'
import { createNodeRequest } from './node-request.js'
import { writeResponse, type WriteResponseOptions } from './write-response.js'
import { TurnWrites } from './turn-writes.js'
import { fetchHandlerFor } from './mount-target.js'

// Shared by every mount in the process: it holds only answers waiting for the end of this turn.
// writeResponse reports its failures through its promise, so nothing reaches this reporter.
const turnWrites = new TurnWrites((error) => console.error('[hookflow]', error))

/**
 * Anything with a Fetch API `fetch`: `WebhookTrigger`, `{ fetch: trigger.fetch }`, Hono...
 *
 * @example
 * ```ts
 * import type { FetchHandler } from 'hookflow/node'
 *
 * const health: FetchHandler = { fetch: () => new Response('ok') }
 * ```
 */
export interface FetchHandler {
  /** Answers a standard `Request`. */
  fetch(request: Request): Promise<Response> | Response
}

/**
 * What `serveRequest` takes: the URL and body bytes to use instead of the request's, failure reporting, and early-answer limits.
 *
 * @example
 * ```ts
 * import type { ServeRequestOptions } from 'hookflow/node'
 *
 * const options: ServeRequestOptions = { url: '/hooks/pay?source=proxy', onError: (error) => console.error(error) }
 * ```
 */
export interface ServeRequestOptions extends ToRequestOptions, WriteResponseOptions {
  /** Called with what the handler threw (answered 500) or what failed while answering. Default `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * Answers `req` with what `handler` returns; never rejects (failures go to `onError`). A
 * `handler` without `fetch` throws at once: a mistake in the code, not in the request.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { serveRequest } from 'hookflow/node'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine() })
 * http.createServer((req, res) => {
 *   if (req.url?.startsWith('/api/webhook:trigger/')) void serveRequest(trigger, req, res)
 *   else res.writeHead(404).end()
 * }).listen(3000)
 * ```
 */
export function serveRequest(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeRequestOptions = {},
): Promise<void> {
  fetchHandlerFor('serveRequest', handler)
  return serve(handler, req, res, options)
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, options: ServeRequestOptions): Promise<void> {
  const onError = reporter(options.onError)
  try {
    await answer(handler, req, res, options, onError)
  } catch (error) {
    onError(error)
    if (!res.headersSent && !res.destroyed) {
      await writeResponse(res, internalError().toResponse(), req, options).catch(() => res.destroy())
    } else {
      res.destroy()
    }
  }
}

async function answer(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  options: ServeRequestOptions,
  onError: (error: unknown) => void,
): Promise<void> {
  let request: Request
  try {
    request = createNodeRequest(req, res, options)
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
    if (res.destroyed && !res.writableFinished) return
    onError(error)
    response = internalError().toResponse()
  }
  // Written at the end of this event-loop turn, not from this continuation (see turn-writes.ts).
  return new Promise<void>((resolve, reject) => {
    turnWrites.add(() => void writeResponse(res, response, req, options).then(resolve, reject))
  })
}

function reporter(report: (error: unknown) => void = console.error): (error: unknown) => void {
  return (error) => {
    // A failing reporter must not turn into an unhandled rejection of the listener.
    try {
      report(error)
    } catch {}
  }
}
