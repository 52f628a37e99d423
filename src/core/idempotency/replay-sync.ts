/**
 * @module
 * The answer to a sync delivery whose id was seen before: the first answer again (the
 * Response node's status, headers and body, or the 200 / 500 / 408 the run ended with), or
 * 409 with `Retry-After` while the first run has not answered yet.
 */
import type { ExecutionRecord } from '../../engine/execution.js'
import { FINAL_STATUSES } from '../../engine/execution.js'
import { HookflowError } from '../../errors/hookflow-error.js'
import { syncTimeout } from '../http-errors.js'
import { jsonResponse, toResponse } from '../to-response.js'

/** Seconds a sender should wait before asking again while the first run is going. */
const RETRY_AFTER_SECONDS = 1

export function replaySync(first: ExecutionRecord, timeoutMs: number): Response {
  const id = first.id
  if (first.response) return toResponse(first.response, id)
  if (!FINAL_STATUSES.has(first.status)) {
    return new HookflowError('delivery_in_progress', 'This delivery is already being handled; try again shortly', {
      status: 409,
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    }).toResponse({ 'x-execution-id': id })
  }
  if (first.status === 'aborted' && first.reason === 'timeout') return syncTimeout(timeoutMs).toResponse({ 'x-execution-id': id })
  return jsonResponse(first.status === 'resolved' ? 200 : 500, { executionId: id, status: first.status }, id)
}
