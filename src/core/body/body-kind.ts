/**
 * @module
 * Which parser a request body goes to, decided from its `Content-Type` before a byte is read,
 * among the kinds a trigger accepts (`trigger.request.contentTypes`, default `['json']`):
 *
 * | kind | content types | `$context.body` |
 * |---|---|---|
 * | `json` | `application/json`, any `+json`, UTF-8 | the parsed JSON |
 * | `form` | `application/x-www-form-urlencoded`, UTF-8 | qs-parsed fields |
 * | `multipart` | `multipart/form-data` with a boundary | fields, files as `{ filename, contentType, size }` |
 * | `text` | `text/*`, any charset the platform decodes | the text, a string |
 * | `raw` | anything the other accepted kinds do not take, or none | `{ contentType, size, base64 }` |
 *
 * A body no accepted kind takes is refused with 415 at its first byte; an empty one passes.
 */
import { isUtf8, type MediaType, parseMediaType } from './media-type.js'
import { textDecoderFor } from './parse-text.js'

export const BODY_KINDS = ['json', 'form', 'multipart', 'text', 'raw'] as const
export type BodyKind = (typeof BODY_KINDS)[number]

export const DEFAULT_BODY_KINDS: readonly BodyKind[] = ['json']

const DESCRIPTIONS: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
  text: 'text/*',
  raw: 'any content type',
}

export interface BodyType {
  readonly kind: BodyKind
  /** The parsed header; `undefined` for a raw body without a (well-formed) Content-Type. */
  readonly media: MediaType | undefined
}

/** What a 415 answer tells the sender to send instead, e.g. `application/json or text/*`. */
export function describeKinds(kinds: Iterable<BodyKind>): string {
  return [...kinds].map((kind) => DESCRIPTIONS[kind]).join(' or ')
}

// What most senders send, read once: the hot path skips parsing it.
const PLAIN_JSON: BodyType = { kind: 'json', media: parseMediaType('application/json') }

export function bodyTypeOf(header: string | null, accepted: ReadonlySet<BodyKind>): BodyType | undefined {
  if (header === 'application/json' && accepted.has('json')) return PLAIN_JSON
  const media = header === null ? undefined : parseMediaType(header)
  const specific = media && specificKind(media)
  if (specific !== undefined && accepted.has(specific)) return { kind: specific, media }
  return accepted.has('raw') ? { kind: 'raw', media } : undefined
}

function specificKind(media: MediaType): BodyKind | undefined {
  const type = media.type
  if (type === 'application/json' || type.endsWith('+json')) return isUtf8(media) ? 'json' : undefined
  if (type === 'application/x-www-form-urlencoded') return isUtf8(media) ? 'form' : undefined
  if (type === 'multipart/form-data') {
    const boundary = media.params.get('boundary')
    return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? 'multipart' : undefined
  }
  if (type.startsWith('text/')) return textDecoderFor(media) ? 'text' : undefined
  return undefined
}
