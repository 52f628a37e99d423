/**
 * @module
 * Optional fast paths a `Request` may offer the core, keyed by registry symbols so that any
 * adapter (or a second copy of the package) can provide them. A standard `Request` offers none
 * and takes the standard path; the Node bridge offers both and so skips building web streams
 * and AbortSignals for every delivery.
 */

/**
 * `request[READ_BYTES](limit)`: the whole body as bytes, or throws `tooLarge()` past `limit`,
 * `refuseBytes` at the first byte, `deadline.error()` when the deadline expires.
 */
export const READ_BYTES = Symbol.for('hookflow.read-bytes')

/** `request[ON_CLIENT_GONE](callback)`: calls back if the client leaves before the answer; returns an unsubscribe. */
export const ON_CLIENT_GONE = Symbol.for('hookflow.on-client-gone')

/**
 * `request[REMOTE_ADDRESS]`: the peer's IP address as the socket reports it (for `ipAllowList`).
 *
 * @example
 * ```ts
 * import { REMOTE_ADDRESS, createEngine, WebhookTrigger } from 'hookflow'
 *
 * const trigger = new WebhookTrigger({
 *   engine: createEngine(),
 *   clientAddress: (request) => (request as Request & { [REMOTE_ADDRESS]?: string })[REMOTE_ADDRESS] ?? request.headers.get('cf-connecting-ip') ?? undefined,
 * })
 * ```
 */
export const REMOTE_ADDRESS = Symbol.for('hookflow.remote-address')

/** `request[HEADER_BYTES]()`: the size of the request's header lines (`name: value` plus CRLF each). */
export const HEADER_BYTES = Symbol.for('hookflow.header-bytes')

/** A body read's deadline: `watch` calls `expire` once the read takes too long, and returns the unwatch. */
export interface ReadDeadline {
  watch(expire: () => void): () => void
  /** What the read then fails with. */
  error(): Error
}

export interface FastRequest {
  [READ_BYTES]?(limit: number, tooLarge: () => Error, refuseBytes?: Error, deadline?: ReadDeadline): Promise<Uint8Array>
  [ON_CLIENT_GONE]?(callback: () => void): () => void
  readonly [REMOTE_ADDRESS]?: string | undefined
  [HEADER_BYTES]?(): number
}

/** Calls back when the client goes away before the answer; returns the unsubscribe. */
export function onClientGone(request: Request, callback: () => void): () => void {
  const fast = (request as FastRequest)[ON_CLIENT_GONE]
  if (fast) return fast.call(request, callback)
  const signal = request.signal
  if (signal.aborted) {
    callback()
    return () => undefined
  }
  signal.addEventListener('abort', callback, { once: true })
  return () => signal.removeEventListener('abort', callback)
}
