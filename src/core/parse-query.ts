/**
 * @module
 * Query strings, parsed by qs with explicit limits so a hostile URL cannot build huge or
 * deep structures or touch prototypes (see `url-encoded.ts`: past a limit, or with a
 * `__proto__` / `constructor` / `prototype` key, the request is refused with 400).
 */
import { parseUrlEncoded } from './url-encoded.js'

/** `search` as in a URL, with or without its `?`. */
export function parseQuery(search: string): Record<string, unknown> {
  if (search === '' || search === '?') return {}
  return parseUrlEncoded(search, 'query')
}
