/**
 * @module
 * Query strings, parsed by qs with explicit limits so a hostile URL cannot build huge or
 * deep structures or touch prototypes.
 */
import qs from 'qs'

const OPTIONS: qs.IParseOptions = {
  depth: 5,
  arrayLimit: 20,
  parameterLimit: 100,
  allowPrototypes: false,
  ignoreQueryPrefix: true,
}

/** `search` as in a URL, with or without its `?`. */
export function parseQuery(search: string): Record<string, unknown> {
  if (search === '' || search === '?') return {}
  return qs.parse(search, OPTIONS) as Record<string, unknown>
}
