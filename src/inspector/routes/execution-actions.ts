/**
 * @module
 * `POST api/executions/<id>/retry`, `.../cancel` and `.../replay`: the engine's own
 * `retry`, `cancel` and `replay`, answered with the execution they act on (for a replay, the
 * new one). 404 for an unknown id; 409 for an execution in a state that does not allow it.
 *
 * ```ts
 * // POST /hookflow/api/executions/<id>/replay  ->  201 { execution: { id, replayOf: '<id>', ... } }
 * ```
 */
import type { Engine } from '../../engine/engine.js'
import { type ExecutionRecord, type ExecutionStatus, FINAL_STATUSES } from '../../engine/execution.js'
import { executionNotFound, inspectorError, json } from '../answers.js'
import { executionSummary } from '../execution-summary.js'
import type { InspectorContext } from '../inspector-context.js'

export const EXECUTION_ACTIONS = ['retry', 'cancel', 'replay'] as const
export type ExecutionAction = (typeof EXECUTION_ACTIONS)[number]

const ONLY_UNFINISHED = 'only queued or running ones can be canceled'
const CANCEL_HINT: Partial<Record<ExecutionStatus, string>> = {
  started: 'a worker in another process holds it; cancel it there, or try again once its claim expires',
}

/** How long a cancel keeps trying while the execution changes hands (a worker parking it, claiming it). */
const CANCEL_PATIENCE_MS = 1000

/**
 * `engine.cancel`, tried again for a moment while the execution is not final: between a worker's
 * claim and its run starting, or between its run parking it and the store saying so, no one
 * here holds it and the store still shows the claim. Undefined when canceled; else the record.
 */
async function cancel(engine: Engine, id: string): Promise<ExecutionRecord | undefined> {
  const deadline = Date.now() + CANCEL_PATIENCE_MS
  for (;;) {
    if (await engine.cancel(id)) return undefined
    const now = await engine.store.executions.get(id)
    if (!now) throw executionNotFound(id)
    if (FINAL_STATUSES.has(now.status) || Date.now() > deadline) return now
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export async function runExecutionAction({ engine }: InspectorContext, id: string, action: ExecutionAction): Promise<Response> {
  switch (action) {
    case 'retry':
      // 404 and 409 come from the engine as HookflowErrors with those statuses.
      return json({ execution: executionSummary(await engine.retry(id)) }, 202)
    case 'replay':
      return json({ execution: executionSummary(await engine.replay(id)) }, 201)
    case 'cancel': {
      const before = await engine.store.executions.get(id)
      if (!before) throw executionNotFound(id)
      const now = await cancel(engine, id)
      if (now) throw inspectorError('not_cancelable', `Execution "${id}" is ${now.status}; ${CANCEL_HINT[now.status] ?? ONLY_UNFINISHED}`, 409)
      // A running one stops at its next step: it may still show `started` here.
      const after = (await engine.store.executions.get(id)) ?? before
      return json({ execution: executionSummary(after) }, 202)
    }
  }
}
