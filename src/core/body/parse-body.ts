/**
 * @module
 * Turns the bytes of an accepted body into `$context.body` with the parser its kind names
 * (see `body-kind.ts`). An empty body is `{}` whatever its type, as it always was for JSON.
 */
import { decodeUtf8, isBlank, parseJson } from '../parse-json.js'
import type { BodyType } from './body-kind.js'
import { parseForm } from './parse-form.js'
import { type MultipartLimits, parseMultipart } from './parse-multipart.js'
import { parseRaw } from './parse-raw.js'
import { parseText } from './parse-text.js'

export interface ParseBodyOptions {
  jsonDepth: number
  files: MultipartLimits
  /** The request's Content-Type as sent (raw bodies record it). */
  contentType: string | null
}

export interface ParsedBody {
  value: unknown
  /** A JSON body's text as received (`{}` for a blank one): stores write it instead of serialising `value`. */
  json?: string
}

export function parseBody(bytes: Uint8Array, type: BodyType | undefined, options: ParseBodyOptions): ParsedBody {
  if (bytes.byteLength === 0 || type === undefined) return { value: {} }
  switch (type.kind) {
    case 'json': {
      const text = decodeUtf8(bytes)
      return { value: parseJson(text, options.jsonDepth), json: isBlank(text) ? '{}' : text }
    }
    case 'form':
      return { value: parseForm(bytes) }
    case 'multipart':
      return { value: parseMultipart(bytes, type.media!.params.get('boundary')!, options.files) }
    case 'text':
      return { value: parseText(bytes, type.media) }
    case 'raw':
      return { value: parseRaw(bytes, options.contentType) }
  }
}
