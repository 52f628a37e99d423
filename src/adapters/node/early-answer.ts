/**
 * @module
 * Answers sent before the request body was read: the core stops at the body limit (413), or
 * refuses before reading (401, 404, 415). Node leaves such a socket paused, so the
 * next request on it would hang, and when it closes a connection that still has unread bytes
 * the kernel sends RST, which can destroy the answer before the client reads it
 * (https://github.com/nodejs/node/issues/21026). So: a small known rest (up to `drainLimit`) is
 * discarded and the connection kept alive; a larger or unknown rest gets `Connection: close`
 * and a lingering close: FIN after the answer, keep discarding until the client closes, the
 * body ends or `lingerTimeout` passes, then close.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bodyProgressOf, type RequestBodyProgress } from './to-request.js'

/** @inline */
export interface EarlyAnswerOptions {
  /** Most bytes of an unread request body discarded to keep the connection alive. Default 64 KiB. */
  drainLimit?: number
  /** Longest time, after the answer, spent discarding an unread body before closing. Default 2 s. */
  lingerTimeout?: number
}

/**
 * The most bytes of an unread body drained to keep the connection alive unless `drainLimit` says otherwise: 64 KiB.
 *
 * @example
 * ```ts
 * import { createListener, DEFAULT_DRAIN_LIMIT } from 'hookflow/node'
 *
 * const listener = createListener({ fetch: () => new Response('ok') }, { drainLimit: DEFAULT_DRAIN_LIMIT * 2 })
 * ```
 */
export const DEFAULT_DRAIN_LIMIT = 65_536
/**
 * How long, after an early answer, an unread body is discarded before the connection closes, unless `lingerTimeout` says otherwise: 2 s.
 *
 * @example
 * ```ts
 * import { createListener, DEFAULT_LINGER_TIMEOUT } from 'hookflow/node'
 *
 * const listener = createListener({ fetch: () => new Response('ok') }, { lingerTimeout: DEFAULT_LINGER_TIMEOUT / 2 })
 * ```
 */
export const DEFAULT_LINGER_TIMEOUT = 2_000

export function handleUnreadBody(req: IncomingMessage, res: ServerResponse, options: EarlyAnswerOptions): void {
  const progress = bodyProgressOf(req)
  if (req.complete) {
    // All of it arrived; unless the handler is still reading it, drop what is buffered.
    if (progress?.inUse !== true) discard(req, progress)
    return
  }
  const drainLimit = options.drainLimit ?? DEFAULT_DRAIN_LIMIT
  const lingerTimeout = options.lingerTimeout ?? DEFAULT_LINGER_TIMEOUT
  const socket = req.socket
  // Node closes a connection through `destroySoon` after an answer marked `Connection: close`
  // (by us, by the handler or because the client asked for it); make that one close linger.
  socket.destroySoon = () => lingeringClose(req, lingerTimeout)
  const restore = (): void => void Reflect.deleteProperty(socket, 'destroySoon')
  // Node's own 'finish' listener (the one that calls destroySoon) was added before this one.
  res.once('finish', restore)
  res.once('close', restore)

  if (progress?.inUse === true) {
    // The handler may still be reading, e.g. streaming the request body into the response:
    // leave the body alone and settle what is left once the answer is out.
    res.once('finish', () => settleAfterAnswer(req, drainLimit, lingerTimeout))
    return
  }
  const rest = remainingBytes(req, progress)
  if (rest !== undefined && rest <= drainLimit && res.shouldKeepAlive) {
    discard(req, progress)
    res.once('finish', () => settleAfterAnswer(req, drainLimit, lingerTimeout))
    return
  }
  res.setHeader('connection', 'close')
  // Discard now: a client that sends its whole body before reading would otherwise block.
  discard(req, progress)
}

function settleAfterAnswer(req: IncomingMessage, drainLimit: number, lingerTimeout: number): void {
  const socket = req.socket
  // Ended already, or Node is closing the connection (through the lingering close above).
  if (req.readableEnded || socket.writableEnded || socket.destroyed) return
  const progress = bodyProgressOf(req)
  const rest = remainingBytes(req, progress)
  if (rest === undefined || rest > drainLimit) return lingeringClose(req, lingerTimeout)
  discard(req, progress)
  if (req.complete) return
  // The connection stays open for the next request only if the rest arrives in time.
  const timer = setTimeout(() => socket.destroy(), lingerTimeout).unref()
  // Removed again on 'end': a keep-alive socket serves many requests.
  const clear = (): void => {
    clearTimeout(timer)
    req.off('end', clear)
    socket.off('close', clear)
  }
  req.once('end', clear)
  socket.once('close', clear)
}

/** Bytes of the request body still on the wire, when the request says how long it is. */
function remainingBytes(req: IncomingMessage, progress: RequestBodyProgress | undefined): number | undefined {
  if (req.complete) return 0
  const declared = req.headers['content-length']
  if (declared === undefined || req.headers['transfer-encoding'] !== undefined) return undefined
  const received = progress?.received ?? (req.readableDidRead ? undefined : 0)
  if (received === undefined) return undefined
  return Number(declared) - received - req.readableLength
}

function discard(req: IncomingMessage, progress: RequestBodyProgress | undefined): void {
  progress?.release()
  req.resume()
}

function lingeringClose(req: IncomingMessage, lingerTimeout: number): void {
  const socket = req.socket
  const timer = setTimeout(() => socket.destroy(), lingerTimeout).unref()
  const close = (): void => {
    clearTimeout(timer)
    // Only after the answer and the FIN are flushed: destroy() drops unsent bytes.
    if (socket.writableFinished) socket.destroy()
    else socket.once('finish', () => socket.destroy())
  }
  socket.end()
  socket.once('close', () => clearTimeout(timer))
  discard(req, bodyProgressOf(req))
  if (req.complete) return close()
  req.once('end', close)
  socket.once('end', close)
}
