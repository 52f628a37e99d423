/**
 * @module
 * The inspector's JSON answers: a value as JSON, or `{ error: { code, message } }` with a
 * stable code, as every hookflow error answer is.
 *
 * ```ts
 * return json({ items, nextCursor })
 * throw inspectorError('bad_query', 'limit must be an integer from 1 to 200', 400)
 * ```
 */
import { HookflowError } from '../errors/hookflow-error.js'

const JSON_TYPE = 'application/json; charset=utf-8'

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } })
}

export function inspectorError(code: string, message: string, status: number, headers?: Record<string, string>): HookflowError {
  return new HookflowError(code, message, { status, ...(headers ? { headers } : {}) })
}

/** The answer for a HookflowError (its status, code, message and headers). */
export function errorAnswer(error: HookflowError): Response {
  return json({ error: { code: error.code, message: error.message } }, error.status, { ...error.headers })
}

export const notFound = (what = 'Nothing here', code = 'not_found'): HookflowError => inspectorError(code, what, 404)

export const executionNotFound = (id: string): HookflowError => notFound(`No execution "${id}"`, 'execution_not_found')

export const methodNotAllowed = (allow: string): HookflowError =>
  inspectorError('method_not_allowed', `Method not allowed; use ${allow}`, 405, { allow })

export const badRequest = (code: string, message: string): HookflowError => inspectorError(code, message, 400)
