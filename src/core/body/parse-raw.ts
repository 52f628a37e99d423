/**
 * @module
 * Raw bodies (`contentTypes: ['raw']`): kept as bytes, stored in `$context.body` as
 * `{ contentType, size, base64 }`, so a workflow can forward or hash them and the stored
 * execution stays JSON. The body limit bounds the base64 text (4/3 of the bytes).
 */
import { toBase64 } from '../../http/base64.js'

/**
 * A raw body as `$context.body` holds it: content type, size and the bytes in base64.
 *
 * @example
 * ```ts
 * import { defineNode, type RawBody } from 'hookflow'
 *
 * const bytes = defineNode({
 *   type: 'raw-bytes',
 *   run: ({ execution }) => Buffer.from((execution.context.body as RawBody).base64, 'base64').byteLength,
 * })
 * ```
 */
export interface RawBody {
  /** The request's `Content-Type` as sent, or null. */
  contentType: string | null
  /** Bytes received. */
  size: number
  /** The bytes, base64 encoded. */
  base64: string
}

export function parseRaw(bytes: Uint8Array, contentType: string | null): RawBody {
  return {
    contentType,
    size: bytes.byteLength,
    base64: toBase64(bytes),
  }
}
