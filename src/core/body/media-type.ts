/**
 * @module
 * A `Content-Type` header read into its lower-cased essence (`type/subtype`) and parameters
 * (names lower-cased, quoted values unquoted). Malformed headers read as `undefined`, which
 * no trigger accepts (415).
 *
 * ```ts
 * parseMediaType('multipart/form-data; boundary="a b"') // { type: 'multipart/form-data', params: Map { 'boundary' => 'a b' } }
 * ```
 */

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  readonly type: string
  /** Parameter names lower-cased; a Map, so no name can reach a prototype. */
  readonly params: ReadonlyMap<string, string>
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export function parseMediaType(header: string): MediaType | undefined {
  const semicolon = header.indexOf(';')
  const essence = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase()
  const slash = essence.indexOf('/')
  if (slash <= 0 || !TOKEN.test(essence.slice(0, slash)) || !TOKEN.test(essence.slice(slash + 1))) return undefined
  return { type: essence, params: parseParameters(semicolon < 0 ? '' : header.slice(semicolon + 1)) }
}

/** `a=1; b="two"` into a Map: names lower-cased, quoted values unquoted, the first of a repeated name kept. */
export function parseParameters(header: string): Map<string, string> {
  const params = new Map<string, string>()
  let index = 0
  while (index < header.length) {
    const equals = header.indexOf('=', index)
    if (equals < 0) break
    const name = header.slice(index, equals).trim().toLowerCase()
    let value: string
    let next: number
    let cursor = equals + 1
    while (header[cursor] === ' ' || header[cursor] === '\t') cursor++
    if (header[cursor] === '"') {
      value = ''
      cursor++
      while (cursor < header.length && header[cursor] !== '"') {
        if (header[cursor] === '\\' && cursor + 1 < header.length) cursor++
        value += header[cursor]
        cursor++
      }
      const end = header.indexOf(';', cursor)
      next = end < 0 ? header.length : end + 1
    } else {
      const end = header.indexOf(';', cursor)
      value = header.slice(cursor, end < 0 ? header.length : end).trim()
      next = end < 0 ? header.length : end + 1
    }
    // The first of a repeated parameter wins.
    if (TOKEN.test(name) && !params.has(name)) params.set(name, value)
    index = next
  }
  return params
}

/** The `charset` parameter, lower-cased, or `undefined` when absent. */
export function charsetOf(media: MediaType): string | undefined {
  return media.params.get('charset')?.toLowerCase()
}

/** UTF-8 (or no charset, read as UTF-8): the only charset JSON, form and multipart fields decode. */
export function isUtf8(media: MediaType): boolean {
  const charset = charsetOf(media)
  return charset === undefined || charset === 'utf-8' || charset === 'utf8'
}
