/**
 * @module
 * Standard `Response` in, Node response out: the second half of the Node bridge. Streams the
 * body with backpressure, sends repeated `set-cookie` headers as separate lines, and makes an
 * answer sent before the request body was read (an early 413) reach the client intact.
 *
 * ```ts
 * http.createServer(async (req, res) => {
 *   await writeResponse(res, new Response('hello', { status: 200 }), req)
 * })
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { bodyProgressOf, type RequestBodyProgress } from './to-request.js'

export interface WriteResponseOptions {
  /** Most bytes of an unread request body discarded to keep the connection alive. Default 64 KiB. */
  drainLimit?: number
  /** Longest time, after the answer, spent discarding an unread body before closing. Default 2 s. */
  lingerTimeout?: number
}

export const DEFAULT_DRAIN_LIMIT = 65_536
export const DEFAULT_LINGER_TIMEOUT = 2_000

/** Bodies that are complete within this many bytes get a Content-Length instead of chunking. */
const BUFFER_LIMIT = 65_536

export async function writeResponse(
  res: ServerResponse,
  response: Response,
  req?: IncomingMessage,
  options: WriteResponseOptions = {},
): Promise<void> {
  if (res.headersSent || res.destroyed) {
    await response.body?.cancel().catch(() => undefined)
    return
  }
  if (req !== undefined && !req.readableEnded) handleUnreadBody(req, res, options)

  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)

  const body = response.body
  if (body === null) {
    res.writeHead(response.status, response.statusText || undefined).end()
    return finished(res)
  }
  const reader = body.getReader()
  const head = await readAvailable(reader)
  if (head.done && !res.hasHeader('content-length')) res.setHeader('content-length', byteLength(head.chunks))
  res.writeHead(response.status, response.statusText || undefined)
  if (req?.method === 'HEAD') {
    // Same headers as the GET answer (Content-Length included when known), no body.
    if (!head.done) await reader.cancel().catch(() => undefined)
    res.end()
    return finished(res)
  }
  if (head.done) {
    for (const chunk of head.chunks) res.write(chunk)
    res.end()
    return finished(res)
  }
  await stream(res, reader, head)
  return finished(res)
}

interface Head {
  chunks: Uint8Array[]
  done: boolean
  next: Promise<ReadableStreamReadResult<Uint8Array>> | undefined
}

// A Response built from a string or bytes has its whole body ready at once: reading what is
// available without waiting lets such answers go out with Content-Length in one write.
async function readAvailable(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Head> {
  const head: Head = { chunks: [], done: false, next: undefined }
  let size = 0
  while (size < BUFFER_LIMIT) {
    const next = reader.read()
    const result = await Promise.race([next, soon()])
    if (result === undefined) {
      head.next = next
      break
    }
    if (result.done) {
      head.done = true
      break
    }
    head.chunks.push(result.value)
    size += result.value.byteLength
  }
  return head
}

function soon(): Promise<undefined> {
  return Promise.resolve().then(() => Promise.resolve()).then(() => undefined)
}

async function stream(res: ServerResponse, reader: ReadableStreamDefaultReader<Uint8Array>, head: Head): Promise<void> {
  // A client that goes away must stop the producer, not leave it writing into a dead socket.
  const stop = (): void => void reader.cancel().catch(() => undefined)
  res.once('close', stop)
  try {
    for (const chunk of head.chunks) res.write(chunk)
    if (head.chunks.length === 0) res.flushHeaders()
    let next = head.next ?? reader.read()
    for (;;) {
      const { done, value } = await next
      if (done || res.destroyed) break
      if (!res.write(value)) await drained(res)
      next = reader.read()
    }
    if (!res.destroyed) res.end()
  } catch (error) {
    // Headers are gone: a cut connection is the only way left to say the body is incomplete.
    res.destroy()
    throw error
  } finally {
    res.off('close', stop)
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('finish', done)
      res.off('close', done)
      resolve()
    }
    res.on('finish', done)
    res.on('close', done)
  })
}

function byteLength(chunks: Uint8Array[]): number {
  let total = 0
  for (const chunk of chunks) total += chunk.byteLength
  return total
}

// --- Early answers -------------------------------------------------------------------------
//
// An answer can go out before the request body was read: the core stops at the body limit
// (413), or refuses before reading (401, 404, 415). Node leaves such a socket paused, so the
// next request on it would hang, and when it closes a connection that still has unread bytes
// the kernel sends RST, which can destroy the answer before the client reads it
// (https://github.com/nodejs/node/issues/21026). So: a small known rest (up to `drainLimit`) is
// discarded and the connection kept alive; a larger or unknown rest gets `Connection: close`
// and a lingering close: FIN after the answer, keep discarding until the client closes, the
// body ends or `lingerTimeout` passes, then close.

function handleUnreadBody(req: IncomingMessage, res: ServerResponse, options: WriteResponseOptions): void {
  const progress = bodyProgressOf(req)
  if (req.complete) {
    // All of it arrived; unless the handler is still reading it, drop what is buffered.
    if (progress?.state !== 'reading') discard(req, progress)
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

  if (progress?.state === 'reading') {
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
  req.once('end', () => clearTimeout(timer))
  socket.once('close', () => clearTimeout(timer))
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
