/**
 * @module
 * The cross-site request check for requests that change something (POST): a browser says
 * where a request comes from in `Sec-Fetch-Site`, or else in `Origin`. A page on another site
 * that makes the user's browser POST here (with the browser's saved credentials) is refused.
 * A request with neither header is not from a browser page, so there is no site to forge it
 * from; it still needs credentials.
 *
 * ```ts
 * if (request.method === 'POST' && !isSameOrigin(request)) return forbidden()
 * ```
 */

export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null) return site === 'same-origin' || site === 'none'
  const origin = request.headers.get('origin')
  if (origin === null) return true
  // `Origin: null` (a sandboxed frame, a file) names no site at all: refused.
  if (origin === 'null') return false
  try {
    // The host only: a proxy that ends TLS hands the server http:// URLs for https:// pages.
    return new URL(origin).host === new URL(request.url).host
  } catch {
    return false
  }
}
