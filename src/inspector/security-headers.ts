/**
 * @module
 * The headers every inspector answer carries: a Content-Security-Policy that allows only the
 * page's own script, style and API (no inline script, no other origin, no framing), and no
 * caching, sniffing or referrer.
 *
 * ```ts
 * return secured(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }))
 * ```
 */

/**
 * The Content-Security-Policy every inspector answer carries: only the page's own script, style and API.
 *
 * @example
 * ```ts
 * import { CONTENT_SECURITY_POLICY } from 'hookflow/inspector'
 *
 * // A proxy in front that sets its own policy should allow at least what the page needs:
 * console.log(CONTENT_SECURITY_POLICY) // "default-src 'none'; script-src 'self'; …"
 * ```
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

/** `response` with the security headers set (replacing any of the same name). */
export function secured(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value)
    return response
  } catch {
    // Immutable headers (a Response from elsewhere): copy it into one that is ours.
    return secured(new Response(response.body, response))
  }
}
