/**
 * @module
 * Reads a request body once, as bytes, counting them as they arrive: `Content-Length` is
 * not trusted (it may be absent or lie), and reading stops the moment the limit is passed,
 * or at the first byte of a body that is not welcome at all (a content type refused).
 */
import { payloadTooLarge } from './http-errors.js'
import { type FastRequest, READ_BYTES, type ReadDeadline } from '../http/fast-request.js'
import { concatBytes } from '../http/concat-bytes.js'

const EMPTY = new Uint8Array(0)

export interface ReadBodyOptions {
  /** Thrown (after cancelling the stream) as soon as any byte arrives: a body is not welcome. */
  refuseBytes?: Error
  /** The read deadline (`bodyTimeout`): past it the read fails with `deadline.error()` (408). */
  deadline?: ReadDeadline
}

export function readBody(request: Request, limit: number, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  // A request with its own byte reader (the Node bridge) checks Content-Length itself; touching
  // `request.body` here would build the very web stream it exists to avoid. Its promise is
  // returned as it is: wrapping it in an async function's would cost microtasks per delivery.
  const fast = (request as FastRequest)[READ_BYTES]
  if (fast) {
    try {
      return fast.call(request, limit, () => payloadTooLarge(limit), options.refuseBytes, options.deadline)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return readStream(request, limit, options)
}

async function readStream(request: Request, limit: number, options: ReadBodyOptions): Promise<Uint8Array> {
  const refusal = options.refuseBytes
  const deadline = options.deadline
  const declared = request.headers.get('content-length')
  if (declared !== null && (Number(declared) > limit || (refusal && Number(declared) > 0))) {
    await request.body?.cancel().catch(() => undefined)
    throw refusal ?? payloadTooLarge(limit)
  }
  const stream = request.body
  if (stream === null) return EMPTY
  const reader = stream.getReader()
  // Cancelling ends the pending read (done), so a stalled sender cannot hold the request open.
  let late = false
  const unwatch = deadline?.watch(() => void ((late = true), reader.cancel().catch(() => undefined)))
  try {
    return await readAll(reader, limit, refusal, () => late)
  } catch (error) {
    throw late ? deadline!.error() : error
  } finally {
    unwatch?.()
  }
}

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
  refusal: Error | undefined,
  late: () => boolean,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (late()) throw new Error('late')
    if (done) break
    if (refusal && value.byteLength > 0) {
      await reader.cancel().catch(() => undefined)
      throw refusal
    }
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw payloadTooLarge(limit)
    }
    chunks.push(value)
  }
  return concatBytes(chunks)
}
