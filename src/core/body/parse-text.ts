/**
 * @module
 * `text/*` bodies: decoded with the charset the header names (UTF-8 when it names none), into
 * one string. A charset the platform cannot decode is refused before reading (415); bytes that
 * are not valid in the charset answer 400.
 */
import { badRequest } from '../http-errors.js'
import { charsetOf, type MediaType } from './media-type.js'

// Only labels TextDecoder knows are kept, so the cache stays as small as the WHATWG label list.
const decoders = new Map<string, TextDecoder>()

/** A fatal decoder for the media type's charset, or `undefined` when there is none for it. */
export function textDecoderFor(media: MediaType): TextDecoder | undefined {
  const label = charsetOf(media) ?? 'utf-8'
  let decoder = decoders.get(label)
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label, { fatal: true })
    } catch {
      return undefined
    }
    decoders.set(label, decoder)
  }
  return decoder
}

export function parseText(bytes: Uint8Array, media: MediaType | undefined): string {
  const decoder = media ? textDecoderFor(media) : undefined
  if (!decoder) throw badRequest('invalid_encoding', 'Request body has no charset this server decodes')
  try {
    return decoder.decode(bytes)
  } catch {
    throw badRequest('invalid_encoding', `Request body is not valid ${decoder.encoding}`)
  }
}
