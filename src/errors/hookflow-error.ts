/**
 * @module
 * The one base class of every error hookflow throws or answers with.
 *
 * ```ts
 * try { engine.register(definition) } catch (error) {
 *   if (HookflowError.is(error)) console.log(error.code, error.status)
 * }
 * ```
 */

import { createResponse } from '../http/light-response.js'

// A dual ESM/CJS package can be loaded twice in one process, so `instanceof` can fail
// across copies; the brand is a registry symbol that both copies share.
const brand = Symbol.for('hookflow.error')

/** @inline */
export interface HookflowErrorOptions {
  /** The HTTP status; default 500. */
  status?: number
  /** The failure behind this one, kept as the error's `cause`. */
  cause?: unknown
  /** Headers the answer carries, e.g. `{ 'retry-after': '5' }`. */
  headers?: Record<string, string>
}

/**
 * The base class of every error hookflow throws or answers with: a stable `code`, an HTTP `status` and `toResponse()`.
 *
 * @example
 * ```ts
 * import { HookflowError, type Authenticator } from 'hookflow'
 *
 * const partner: Authenticator = (request) => {
 *   if (!request.headers.get('x-partner')) throw new HookflowError('partner_missing', 'X-Partner is required', { status: 403 })
 *   return true
 * }
 * ```
 */
export class HookflowError extends Error {
  /** A stable, machine-readable name of the error, e.g. `workflow_not_found`. */
  readonly code: string
  /** The HTTP status the error answers with. */
  readonly status: number
  /** Headers the answer carries besides its content type, e.g. `retry-after`. */
  readonly headers: Readonly<Record<string, string>>

  constructor(code: string, message: string, options: HookflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'HookflowError'
    this.code = code
    this.status = options.status ?? 500
    this.headers = options.headers ?? {}
    Object.defineProperty(this, brand, { value: true })
  }

  /** True for a HookflowError from any copy of the package. */
  static is(value: unknown): value is HookflowError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }

  /** The JSON error answer: `{ error: { code, message } }`, never a stack trace. */
  toResponse(extraHeaders?: Record<string, string>): Response {
    const body = JSON.stringify({ error: { code: this.code, message: this.message } })
    const headers: Array<[string, string]> = [['content-type', 'application/json; charset=utf-8']]
    for (const [name, value] of Object.entries({ ...this.headers, ...extraHeaders })) headers.push([name, value])
    return createResponse(body, this.status, headers)
  }
}
