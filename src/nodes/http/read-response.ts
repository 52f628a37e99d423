/**
 * @module
 * Reads a response body with a byte cap, counted as the bytes arrive (a `Content-Length`
 * above the cap is refused before reading), and parses JSON when the response says it is
 * JSON, else returns text.
 */
import { HookflowError } from '../../errors/hookflow-error.js'
import { concatBytes } from '../../http/concat-bytes.js'

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

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** The parsed body: JSON for a JSON content type (text when it does not parse), else text. */
export async function readResponseData(response: Response, limit: number): Promise<unknown> {
  const text = new TextDecoder().decode(await readCapped(response, limit))
  if (!JSON_TYPE.test(response.headers.get('content-type') ?? '')) return text
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
