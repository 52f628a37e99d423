/**
 * @module
 * Turns a response description (from a Response node or a trigger's configured answer) into
 * a Fetch `Response`: strings as text, bytes as bytes, anything else as JSON.
 */
import type { ResponseDescription } from '../engine/execution.js'

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

export function toResponse(description: ResponseDescription, executionId?: string): Response {
  const headers = new Headers()
  for (const { name, value } of description.headers) headers.append(name, value)
  if (executionId !== undefined) headers.set('x-execution-id', executionId)
  const { body } = description
  let payload: BodyInit | null = null
  let contentType: string | undefined
  if (NULL_BODY_STATUSES.has(description.statusCode) || body === undefined || body === null) {
    payload = null
  } else if (typeof body === 'string') {
    payload = body
    contentType = 'text/plain; charset=utf-8'
  } else if (body instanceof Uint8Array) {
    payload = body as Uint8Array<ArrayBuffer>
    contentType = 'application/octet-stream'
  } else {
    payload = JSON.stringify(body)
    contentType = 'application/json; charset=utf-8'
  }
  if (contentType !== undefined && !headers.has('content-type')) headers.set('content-type', contentType)
  return new Response(payload, { status: description.statusCode, headers })
}

/** A JSON answer with `X-Execution-Id` (sync runs that ended without a Response node). */
export function jsonResponse(status: number, body: unknown, executionId?: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (executionId !== undefined) headers['x-execution-id'] = executionId
  return new Response(JSON.stringify(body), { status, headers })
}
