/**
 * @module
 * Every byte of a stream (stdin for `paths -` and `send --data -`).
 */
import type { Readable } from 'node:stream'

export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array))
  return Buffer.concat(chunks)
}
