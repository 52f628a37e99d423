/**
 * @module
 * The answer to a sync webhook: the first Response node's answer, or 200 / 500 with
 * `{ executionId, status }` when the run ends without one, or 408 when `trigger.timeout`
 * passes first (the run is then aborted with reason `timeout`). A client that goes away
 * before the answer cancels the run.
 */
import type { Engine, SyncSettlement } from '../engine/engine.js'
import type { TriggerContext } from '../engine/execution.js'
import { ExecutionAbort } from '../engine/execution-abort.js'
import { StorageUnavailableError } from '../engine/storage-unavailable-error.js'
import { onClientGone } from '../http/fast-request.js'
import type { CompiledTrigger } from './compile-trigger.js'
import { syncTimeout } from './http-errors.js'
import { type Deadline, deadlinesOf } from './deadlines.js'
import { jsonResponse, toResponse } from './to-response.js'
import type { IdempotentDelivery } from './idempotency/compile-idempotency.js'
import { replaySync } from './idempotency/replay-sync.js'

export async function answerSync(
  engine: Engine,
  trigger: CompiledTrigger,
  context: TriggerContext,
  request: Request,
  delivery?: IdempotentDelivery,
): Promise<Response> {
  const dispatch = await engine.dispatch(trigger.workflow, context, delivery)
  if (dispatch.duplicate) return replaySync(dispatch.execution, trigger.timeout)
  const id = dispatch.execution.id
  // Settled before dispatch returned: no timer or client event could have come first.
  if (dispatch.settlement) return answerOf(dispatch.settlement, id)
  const abort = dispatch.abort!
  let deadline: Deadline | undefined
  // Once answered, the client leaving no longer cancels the rest of the run.
  const unsubscribe = onClientGone(request, () => abort(new ExecutionAbort('canceled')))
  try {
    const settlement = await new Promise<SyncSettlement | undefined>((resolve) => {
      deadline = deadlinesOf(trigger.timeout).add(() => resolve(undefined))
      void dispatch.settled!.then(resolve)
    })
    if (settlement === undefined) {
      abort(new ExecutionAbort('timeout'))
      return syncTimeout(trigger.timeout).toResponse({ 'x-execution-id': id })
    }
    return answerOf(settlement, id)
  } finally {
    deadline?.cancel()
    unsubscribe()
  }
}

function answerOf(settlement: SyncSettlement, id: string): Response {
  if (settlement.kind === 'response') return toResponse(settlement.response, id)
  if (settlement.kind === 'unavailable') {
    return new StorageUnavailableError('The store failed while the execution ran; it is resumed later', settlement.error).toResponse({ 'x-execution-id': id })
  }
  const status = settlement.status
  return jsonResponse(status === 'resolved' ? 200 : 500, { executionId: id, status }, id)
}
