/**
 * @module
 * The answer to a sync webhook: the first Response node's answer, or 200 / 500 with
 * `{ executionId, status }` when the run ends without one, or 408 when `trigger.timeout`
 * passes first (the run is then aborted with reason `timeout`). A client that goes away
 * before the answer cancels the run.
 */
import type { Engine } from '../engine/engine.js'
import type { TriggerContext } from '../engine/execution.js'
import { ExecutionAbort } from '../engine/execution-abort.js'
import type { CompiledTrigger } from './compile-trigger.js'
import { syncTimeout } from './http-errors.js'
import { jsonResponse, toResponse } from './to-response.js'

const TIMED_OUT = Symbol('timed out')

export async function answerSync(
  engine: Engine,
  trigger: CompiledTrigger,
  context: TriggerContext,
  clientSignal: AbortSignal,
): Promise<Response> {
  const controller = new AbortController()
  const onClientGone = (): void => controller.abort(new ExecutionAbort('canceled'))
  if (clientSignal.aborted) onClientGone()
  else clientSignal.addEventListener('abort', onClientGone, { once: true })

  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const dispatch = await engine.dispatch(trigger.workflow, context, { signal: controller.signal })
    const id = dispatch.execution.id
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), trigger.timeout)
    })
    const settlement = await Promise.race([dispatch.settled!, timedOut])
    if (settlement === TIMED_OUT) {
      controller.abort(new ExecutionAbort('timeout'))
      return syncTimeout(trigger.timeout).toResponse({ 'x-execution-id': id })
    }
    if (settlement.kind === 'response') return toResponse(settlement.response, id)
    const status = settlement.status
    return jsonResponse(status === 'resolved' ? 200 : 500, { executionId: id, status }, id)
  } finally {
    clearTimeout(timer)
    // Once answered, the client leaving no longer cancels the rest of the run.
    clientSignal.removeEventListener('abort', onClientGone)
  }
}
