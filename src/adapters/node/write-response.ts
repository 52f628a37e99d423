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
import { type ResponseParts, responseParts } from '../../http/light-response.js'
import { DEFAULT_DRAIN_LIMIT, DEFAULT_LINGER_TIMEOUT, type EarlyAnswerOptions, handleUnreadBody } from './early-answer.js'

/**
 * How `writeResponse` treats a request body left unread when it answers: drain a small one, or close the connection after `lingerTimeout`.
 *
 * @example
 * ```ts
 * import type { WriteResponseOptions } from 'hookflow/node'
 *
 * const options: WriteResponseOptions = { drainLimit: 16 * 1024, lingerTimeout: 500 }
 * ```
 */
export type WriteResponseOptions = EarlyAnswerOptions
export { DEFAULT_DRAIN_LIMIT, DEFAULT_LINGER_TIMEOUT }

/** Bodies that are complete within this many bytes get a Content-Length instead of chunking. */
const BUFFER_LIMIT = 65_536

/**
 * Writes `response` to `res`. Resolves once the answer is handed to Node: at once for a whole
 * body (a string or bytes: the core's own answers), and for a streamed body once the response
 * has finished or the connection closed.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { writeResponse } from 'hookflow/node'
 *
 * http.createServer((req, res) => {
 *   void writeResponse(res, Response.json({ ok: true }), req)
 * }).listen(3000)
 * ```
 */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  req?: IncomingMessage,
  options: WriteResponseOptions = {},
): Promise<void> {
  const parts = responseParts(response)
  if (parts) return writeParts(res, parts, req, options)
  if (res.headersSent || res.destroyed) {
    await response.body?.cancel().catch(() => undefined)
    return
  }
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)

  const body = response.body
  if (body === null) {
    if (req !== undefined && !req.readableEnded) handleUnreadBody(req, res, options)
    res.writeHead(response.status, response.statusText || undefined).end()
    return finished(res)
  }
  const reader = body.getReader()
  const head = await readAvailable(reader)
  if (head.done && !res.hasHeader('content-length')) res.setHeader('content-length', byteLength(head.chunks))
  // After the first read of the answer: an answer that streams the request body back has
  // started reading it by now, and must not see it discarded.
  if (req !== undefined && !req.readableEnded) handleUnreadBody(req, res, options)
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

const NO_BODY = new Set([204, 205, 304])
const DONE = Promise.resolve()

// The fast path for answers the core built from a string or bytes: one writeHead, one end.
function writeParts(res: ServerResponse, parts: ResponseParts, req: IncomingMessage | undefined, options: WriteResponseOptions): Promise<void> {
  if (res.headersSent || res.destroyed) return DONE
  if (req !== undefined && !req.readableEnded) handleUnreadBody(req, res, options)
  const { status, headers, body } = parts
  const send = req?.method === 'HEAD' || NO_BODY.has(status) ? null : body
  const flat: string[] = []
  for (const [name, value] of headers) flat.push(name, value)
  if (!NO_BODY.has(status)) {
    flat.push('content-length', String(body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength))
  }
  if (res.getHeaderNames().length > 0) {
    // Headers set before (Connection: close for an early answer, an Express or Fastify app's
    // own): writeHead would replace repeated names from the array. The answer's headers replace
    // earlier ones of the same name, as on the stream path; a repeated name (set-cookie) adds up.
    const replaced = new Set<string>()
    for (const [name, value] of headers) {
      const key = name.toLowerCase()
      if (replaced.has(key)) res.appendHeader(name, value)
      else {
        replaced.add(key)
        res.setHeader(name, value)
      }
    }
    if (!NO_BODY.has(status)) res.setHeader('content-length', flat[flat.length - 1]!)
    res.writeHead(status)
  } else {
    res.writeHead(status, flat)
  }
  if (send === null) res.end()
  else res.end(send)
  // Handed to Node whole: waiting for 'finish' would cost two listeners and a promise per
  // request, and nothing can fail after this that the caller could act on.
  return DONE
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

// Resolves at `event` or at 'close', whichever comes first, and leaves no listener behind.
function either(res: ServerResponse, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off(event, done)
      res.off('close', done)
      resolve()
    }
    res.on(event, done)
    res.on('close', done)
  })
}

function drained(res: ServerResponse): Promise<void> {
  return either(res, 'drain')
}

function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve()
  return either(res, 'finish')
}

function byteLength(chunks: Uint8Array[]): number {
  let total = 0
  for (const chunk of chunks) total += chunk.byteLength
  return total
}
