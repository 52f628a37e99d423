/**
 * @module
 * Turns the bytes of an accepted body into `$context.body` with the parser its kind names
 * (see `body-kind.ts`). An empty body is `{}` whatever its type, as it always was for JSON.
 */
import { parseJson, decodeUtf8 } from '../parse-json.js'
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

export function parseBody(bytes: Uint8Array, type: BodyType | undefined, options: ParseBodyOptions): unknown {
  if (bytes.byteLength === 0 || type === undefined) return {}
  switch (type.kind) {
    case 'json':
      return parseJson(decodeUtf8(bytes), options.jsonDepth)
    case 'form':
      return parseForm(bytes)
    case 'multipart':
      return parseMultipart(bytes, type.media!.params.get('boundary')!, options.files)
    case 'text':
      return parseText(bytes, type.media)
    case 'raw':
      return parseRaw(bytes, options.contentType)
  }
}
