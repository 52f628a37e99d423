/**
 * @module
 * Reads a response body with a byte cap, counted as the bytes arrive (a `Content-Length`
 * above the cap is refused before reading), and gives it back exactly: a textual answer (text,
 * JSON, XML...) decoded in the charset its `Content-Type` names (UTF-8 when none), JSON parsed;
 * anything else (an image, a PDF, text in a charset this platform cannot decode, or bytes not
 * valid in the named one) as `{ contentType, size, base64 }`. An answer without a
 * `Content-Type` is text when it is valid UTF-8.
 */
import { HookflowError } from '../../errors/hookflow-error.js'
import { concatBytes } from '../../http/concat-bytes.js'
import { toBase64 } from '../../http/base64.js'

/**
 * A response body that is not text, as the result holds it.
 *
 * @example
 * ```ts
 * import type { BinaryData } from 'hookflow'
 *
 * const image: BinaryData = { contentType: 'image/png', size: 4, base64: 'iVBORw==' }
 * ```
 */
export interface BinaryData {
  /** The response's `Content-Type` as sent, or null. */
  contentType: string | null
  /** Bytes received. */
  size: number
  /** The bytes, base64 encoded. */
  base64: string
}

export function tooLarge(limit: number): HookflowError {
  return new HookflowError('request_response_too_large', `the response body is larger than ${limit} bytes (maxResponseBytes)`)
}

async function readCapped(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(limit)
  }
  if (!response.body) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  return concatBytes(chunks)
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/
const TEXT_TYPE = /^(?:text\/[\w.+-]+|application\/(?:[\w.+-]+\+)?(?:json|xml)|application\/(?:javascript|ecmascript|x-www-form-urlencoded|x-ndjson|yaml|x-yaml|graphql))$/

interface Media {
  essence: string
  charset: string | undefined
}

function mediaOf(header: string): Media {
  const [essence = '', ...params] = header.split(';')
  let charset: string | undefined
  for (const param of params) {
    const equals = param.indexOf('=')
    if (equals > 0 && param.slice(0, equals).trim().toLowerCase() === 'charset') {
      charset = param.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1')
    }
  }
  return { essence: essence.trim().toLowerCase(), charset }
}

// Only labels TextDecoder knows are kept, so the cache stays as small as the WHATWG label list.
const decoders = new Map<string, TextDecoder>()

/** The text of `bytes` in `charset`; undefined for a charset without a decoder, or invalid bytes. */
function decode(bytes: Uint8Array, charset: string): string | undefined {
  const label = charset.toLowerCase()
  let decoder = decoders.get(label)
  if (!decoder) {
    try {
      decoder = new TextDecoder(label, { fatal: true })
    } catch {
      return undefined
    }
    decoders.set(label, decoder)
  }
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}

function binary(bytes: Uint8Array, contentType: string | null): BinaryData {
  return { contentType, size: bytes.byteLength, base64: toBase64(bytes) }
}

/** The body: parsed JSON, text, or `{ contentType, size, base64 }` (see the module comment). */
export async function readResponseData(response: Response, limit: number): Promise<unknown> {
  const bytes = await readCapped(response, limit)
  const contentType = response.headers.get('content-type')
  if (contentType === null) return decode(bytes, 'utf-8') ?? binary(bytes, null)
  const media = mediaOf(contentType)
  if (!TEXT_TYPE.test(media.essence)) return binary(bytes, contentType)
  const text = decode(bytes, media.charset ?? 'utf-8')
  if (text === undefined) return binary(bytes, contentType)
  if (!JSON_TYPE.test(media.essence)) return text
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** Response headers as an object, without `set-cookie` (a session is not a result to store). */
export function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  return headers
}
