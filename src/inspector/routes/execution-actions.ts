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
import { executionNotFound, inspectorError, json } from '../answers.js'
import { executionSummary } from '../execution-summary.js'
import type { InspectorContext } from '../inspector-context.js'

export const EXECUTION_ACTIONS = ['retry', 'cancel', 'replay'] as const
export type ExecutionAction = (typeof EXECUTION_ACTIONS)[number]

const ONLY_UNFINISHED = 'only queued or running ones can be canceled'

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
      // False only for one that was final (or deleted) before the cancel was stored.
      if (!(await engine.cancel(id))) {
        const now = await engine.store.executions.get(id)
        if (!now) throw executionNotFound(id)
        throw inspectorError('not_cancelable', `Execution "${id}" is ${now.status}; ${ONLY_UNFINISHED}`, 409)
      }
      const after = (await engine.store.executions.get(id)) ?? before
      return json({ execution: executionSummary(after) }, 202)
    }
  }
}
