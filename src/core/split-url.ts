/**
 * @module
 * Pathname and search of a request URL without building a `URL` object (hot path). A
 * `Request`'s `url` is always absolute and carries no fragment.
 */

export function splitUrl(url: string): { pathname: string; search: string } {
  const scheme = url.indexOf('://')
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return { pathname: '/', search: '' }
  const query = url.indexOf('?', start)
  return query < 0
    ? { pathname: url.slice(start), search: '' }
    : { pathname: url.slice(start, query), search: url.slice(query) }
}
