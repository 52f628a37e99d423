/**
 * @module
 * Turns a response description (from a Response node or a trigger's configured answer) into
 * a Fetch `Response`: strings as text, bytes as bytes, anything else as JSON.
 */
import type { ResponseDescription } from '../engine/execution.js'
import { createResponse } from '../http/light-response.js'
import { responseBodyJson } from '../engine/response-description.js'

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])
const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

export function toResponse(description: ResponseDescription, executionId?: string): Response {
  const headers: Array<[string, string]> = []
  let hasContentType = false
  for (const { name, value } of description.headers) {
    // x-execution-id is ours to set; a workflow's own value would contradict it.
    if (executionId !== undefined && name.toLowerCase() === 'x-execution-id') continue
    if (!hasContentType && name.toLowerCase() === 'content-type') hasContentType = true
    headers.push([name, value])
  }
  if (executionId !== undefined) headers.push(['x-execution-id', executionId])
  const { body } = description
  let payload: string | Uint8Array | null = null
  let contentType: string | undefined
  if (NULL_BODY_STATUSES.has(description.statusCode) || body === undefined || body === null) {
    payload = null
  } else if (typeof body === 'string') {
    payload = body
    contentType = TEXT
  } else if (body instanceof Uint8Array) {
    payload = body
    contentType = 'application/octet-stream'
  } else {
    payload = responseBodyJson(description)!
    contentType = JSON_TYPE
  }
  if (contentType !== undefined && !hasContentType) headers.push(['content-type', contentType])
  return createResponse(payload, description.statusCode, headers)
}

/** A JSON answer with `X-Execution-Id` (sync runs that ended without a Response node). */
export function jsonResponse(status: number, body: unknown, executionId?: string): Response {
  const headers: Array<[string, string]> = [['content-type', JSON_TYPE]]
  if (executionId !== undefined) headers.push(['x-execution-id', executionId])
  return createResponse(JSON.stringify(body), status, headers)
}
