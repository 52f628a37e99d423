/**
 * @module
 * The HTTP answers the webhook core refuses a request with. Each has a stable `code`;
 * the body is always `{ "error": { "code", "message" } }`.
 */
import { HookflowError } from '../errors/hookflow-error.js'

export const notFound = (): HookflowError =>
  new HookflowError('not_found', 'No webhook workflow at this path', { status: 404 })

export const methodNotAllowed = (allow: string): HookflowError =>
  new HookflowError('method_not_allowed', `Method not allowed; use ${allow}`, { status: 405, headers: { allow } })

export const unauthorized = (challenge: string): HookflowError =>
  new HookflowError('unauthorized', 'Missing or invalid credentials', {
    status: 401,
    headers: { 'www-authenticate': challenge },
  })

export const payloadTooLarge = (limit: number): HookflowError =>
  new HookflowError('payload_too_large', `Request body is larger than ${limit} bytes`, { status: 413 })

export const unsupportedMediaType = (accepted: string): HookflowError =>
  new HookflowError(
    'unsupported_media_type',
    `Content type not accepted; send ${accepted} (the workflow's trigger.request.contentTypes lists the kinds it accepts: json, form, multipart, text, raw)`,
    { status: 415 },
  )

export const badRequest = (code: string, message: string): HookflowError =>
  new HookflowError(code, message, { status: 400 })

export const syncTimeout = (ms: number): HookflowError =>
  new HookflowError('timeout', `The workflow did not answer within ${ms} ms`, { status: 408 })

export const bodyTimeout = (ms: number): HookflowError =>
  new HookflowError('body_timeout', `The request body did not arrive within ${ms} ms`, { status: 408 })

export const internalError = (): HookflowError =>
  new HookflowError('internal_error', 'Internal error', { status: 500 })
