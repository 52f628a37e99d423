/**
 * @module
 * Reads a request body once, as bytes, counting them as they arrive: `Content-Length` is
 * not trusted (it may be absent or lie), and reading stops the moment the limit is passed.
 */
import { payloadTooLarge } from './http-errors.js'

const EMPTY = new Uint8Array(0)

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) {
    await request.body?.cancel().catch(() => undefined)
    throw payloadTooLarge(limit)
  }
  const stream = request.body
  if (stream === null) return EMPTY
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw payloadTooLarge(limit)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
