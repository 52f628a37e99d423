/**
 * @module
 * Sends an outgoing request through a transport (`fetch` with `redirect: 'manual'`, or the
 * private-network guard's): a redirect is followed only to the same origin (scheme, host and
 * port), at most `maxRedirects` times, each hop a request of its own (so the guard checks
 * each hop's address); any other redirect comes back as the 3xx response, marked refused.
 * 303, and 301/302 after a POST, continue as GET without a body, as browsers do.
 */
import type { OutgoingRequest } from './build-request.js'

/** One HTTP exchange, redirects not followed: what `fetch(url, { redirect: 'manual' })` does. */
export type Transport = (url: URL, init: { method: string; headers: Headers; body: string | undefined; signal: AbortSignal }) => Promise<Response>

export const fetchTransport: Transport = (url, init) => fetch(url, { ...init, redirect: 'manual' })

const REDIRECTS = new Set([301, 302, 303, 307, 308])

export interface SentResponse {
  response: Response
  /** Set when the response is a redirect that was not followed, and why. */
  refusedRedirect?: string
}

export async function sendRequest(
  request: OutgoingRequest,
  maxRedirects: number,
  signal: AbortSignal,
  transport: Transport = fetchTransport,
): Promise<SentResponse> {
  let { url, method, body } = request
  const headers = new Headers(request.headers)
  for (let hops = 0; ; hops++) {
    const response = await transport(url, { method, headers, body, signal })
    const location = response.headers.get('location')
    if (!REDIRECTS.has(response.status) || location === null) return { response }
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      return { response, refusedRedirect: 'its Location is not a URL' }
    }
    if (next.origin !== url.origin) return { response, refusedRedirect: `it leads to another origin (${next.origin})` }
    if (hops >= maxRedirects) return { response, refusedRedirect: `more than ${maxRedirects} redirects (maxRedirects)` }
    await response.body?.cancel().catch(() => undefined)
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET'
      body = undefined
      headers.delete('content-type')
    }
    url = next
  }
}
