/**
 * @module
 * The JSON body of an inspector request: `application/json` only (a form on another site
 * cannot send it without the browser asking first), within a byte limit, parsed safely.
 *
 * ```ts
 * const body = await readJson(request)   // unknown; {} for an empty body
 * ```
 */
import { readBody } from '../core/read-body.js'
import { decodeUtf8, parseJson } from '../core/parse-json.js'
import { inspectorError } from './answers.js'

/** Room for a test delivery of the default 1 MiB webhook body limit, escaped inside JSON. */
export const JSON_LIMIT = 4 * 1_048_576

export async function readJson(request: Request, limit = JSON_LIMIT): Promise<unknown> {
  const type = request.headers.get('content-type')
  const bytes = await readBody(request, limit)
  if (bytes.byteLength === 0) return {}
  if (!type || !/^application\/(.+\+)?json\s*(;|$)/i.test(type.trim())) {
    throw inspectorError('unsupported_media_type', 'Send the request body as JSON, with Content-Type: application/json', 415)
  }
  return parseJson(decodeUtf8(bytes))
}
