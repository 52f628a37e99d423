/**
 * @module
 * `handle(trigger)`: Express middleware around the shared Node bridge. It hands the core the
 * full original URL and the untouched body, and passes every path no route of the trigger can
 * match on to `next()` (`trigger.handles`). It decides nothing else: every answer is the core's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebhookTrigger } from '../../core/webhook-trigger.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { serveRequest, type ServeRequestOptions } from '../node/serve-request.js'
import { writeResponse } from '../node/write-response.js'
import { triggerFor } from '../node/mount-target.js'

/**
 * What `handle` takes besides the trigger: failure reporting and early-answer limits.
 *
 * @example
 * ```ts
 * import type { HandleOptions } from 'hookflow/express'
 *
 * const options: HandleOptions = { onError: (error) => console.error('webhook', error) }
 * ```
 */
export type HandleOptions = Omit<ServeRequestOptions, 'url' | 'body'>

/**
 * What Express 4 and 5 requests carry beyond node:http; typed here so Express stays optional.
 *
 * @example
 * ```ts
 * import type { ExpressRequest } from 'hookflow/express'
 *
 * const mountedPath = (req: ExpressRequest): string => req.originalUrl ?? req.url ?? '/'
 * ```
 */
export interface ExpressRequest extends IncomingMessage {
  /** The URL before Express stripped a mount prefix. */
  originalUrl?: string
  /** What a body parser made of the body, if one ran. */
  body?: unknown
  /** Set by body-parser 1.x (Express 4) once it has read the body. */
  _body?: boolean
}

/**
 * The middleware `handle` returns, typed without Express so that it stays an optional peer.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { handle, type ExpressMiddleware } from 'hookflow/express'
 *
 * const middleware: ExpressMiddleware = handle(new WebhookTrigger({ engine: createEngine(), basePath: '/hooks' }))
 * express().use('/hooks', middleware)
 * ```
 */
export type ExpressMiddleware = (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * Express middleware that serves a trigger's webhooks and passes every other path on to `next()`; mount it before body parsers.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { handle } from 'hookflow/express'
 *
 * const app = express()
 * app.use('/hooks', handle(new WebhookTrigger({ engine: createEngine(), basePath: '/hooks' })))
 * app.use(express.json())
 * app.listen(3000)
 * ```
 */
export function handle(trigger: Pick<WebhookTrigger, 'fetch' | 'handles'>, options: HandleOptions = {}): ExpressMiddleware {
  triggerFor('handle (hookflow/express)', trigger)
  const report = options.onError ?? console.error
  return (req, res, next) => {
    // Behind `app.use('/hooks', …)` Express strips the prefix from `req.url`, never from `originalUrl`.
    const url = req.originalUrl ?? req.url ?? '/'
    const query = url.indexOf('?')
    if (!trigger.handles(query < 0 ? url : url.slice(0, query))) return next()
    const body = req.body
    if (typeof body === 'string' || body instanceof Uint8Array) {
      void serveRequest(trigger, req, res, { ...options, url, body })
    } else if (bodyWasRead(req)) {
      // The bytes are gone; re-serialising the object would break signatures and change numbers.
      const error = bodyAlreadyParsed()
      report(error)
      writeResponse(res, error.toResponse(), req, options).catch(() => res.destroy())
    } else {
      void serveRequest(trigger, req, res, { ...options, url })
    }
  }
}

function bodyWasRead(req: ExpressRequest): boolean {
  // Express 4's body-parser sets `req.body = {}` even for a request it skips: that stream is intact.
  if (req._body === true) return true
  const length = req.headers['content-length']
  const framed = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  return framed && req.readableEnded
}

function bodyAlreadyParsed(): HookflowError {
  return new HookflowError(
    'body_already_parsed',
    'The request body was already read by a body parser, so its raw bytes are gone. Mount hookflow ' +
      "before express.json() and other body parsers, or use express.raw({ type: '*/*' }) on its path.",
    { status: 500 },
  )
}
