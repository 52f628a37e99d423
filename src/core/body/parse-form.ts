/**
 * @module
 * `application/x-www-form-urlencoded` bodies: UTF-8 text parsed by qs with the query string's
 * limits and key rules (`url-encoded.ts`), so `a[b]=1` is `{ a: { b: '1' } }`.
 */
import { parseUrlEncoded } from '../url-encoded.js'
import { decodeUtf8 } from '../parse-json.js'

export function parseForm(bytes: Uint8Array): Record<string, unknown> {
  return parseUrlEncoded(decodeUtf8(bytes), 'form')
}
