/**
 * @module
 * `engine.run(key, context)`: a workflow run in process, resolved once the run is finished,
 * with the stored record and, for a sync workflow, the answer its Response node gave. The way
 * tests build and check workflows without HTTP; `engine.trigger` resolves as soon as the
 * execution is stored instead.
 *
 * ```ts
 * const { execution, response } = await engine.run('payment-callback', { body: { id: 'p1', amount: 2500 } })
 * execution.status        // 'resolved'
 * response?.statusCode    // 200
 * response?.body          // { ok: true, id: 'p1' }
 * ```
 */
import type { Engine, TriggerOptions } from './engine.js'
import type { ExecutionRecord, ExecutionStatus, ResponseDescription, TriggerContext } from './execution.js'
import { WorkflowNotFoundError } from './workflow-not-found-error.js'

/**
 * What `engine.run` resolves with: the finished execution and, for a sync workflow, its answer.
 *
 * @example
 * ```ts
 * import { createEngine, type RunResult } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({ key: 'echo', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'r', type: 'response', config: { body: '{{$context.body}}' } }] })
 * const result: RunResult = await engine.run('echo', { body: { hi: 1 } })
 * console.log(result.execution.status, result.response?.body)
 * ```
 */
export interface RunResult {
  /** The finished execution, with its jobs: `resolved`, `failed`, `error` or `aborted`. */
  execution: ExecutionRecord
  /** Sync workflows: the first Response node's answer (status code, headers, body); absent when none ran. */
  response?: ResponseDescription
}

const FINAL: ReadonlySet<ExecutionStatus> = new Set(['resolved', 'failed', 'error', 'aborted'])

// Runs elsewhere (a receiver-only engine, a shared queue) send no event here: the store is asked,
// soon at first and then more rarely, so a parked execution costs little while it sleeps.
const FIRST_LOOK_MS = 50
const LONGEST_LOOK_MS = 5_000

export async function runWorkflow(engine: Engine, key: string, context: TriggerContext, options: TriggerOptions = {}): Promise<RunResult> {
  const workflow = engine.getWorkflow(key)
  if (!workflow || !workflow.enabled) throw new WorkflowNotFoundError(`No enabled workflow "${key}"`)
  // Listening before dispatching: an async run can finish before `dispatch` returns its id.
  const early = new Map<string, ExecutionRecord>()
  let awaited: { id: string; resolve: (execution: ExecutionRecord) => void } | undefined
  const onFinished = (execution: ExecutionRecord): void => {
    if (awaited?.id === execution.id) awaited.resolve(execution)
    else if (!awaited) early.set(execution.id, execution)
  }
  engine.on('execution:finished', onFinished)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const dispatch = await engine.dispatch(workflow, context, options)
    if (dispatch.finished) return result(await dispatch.finished)
    const { id } = dispatch.execution
    const seen = early.get(id)
    early.clear()
    if (seen) return result(seen)
    // A duplicate delivery gets the first execution, which may be over already.
    if (FINAL.has(dispatch.execution.status)) return result((await engine.getExecution(id)) ?? dispatch.execution)
    const execution = await new Promise<ExecutionRecord>((resolve, reject) => {
      awaited = { id, resolve }
      let missing = 0
      const look = (delay: number): void => {
        timer = setTimeout(() => {
          engine.getExecution(id).then((stored) => {
            // Deleted on finishing (`deleteExecutionOnStatus`): its event is on its way, unless
            // another process ran it.
            if (!stored && ++missing > 1) reject(new Error(`Execution ${id} left the store before it could be seen finished`))
            else if (stored && FINAL.has(stored.status)) resolve(stored)
            else look(Math.min(delay * 2, LONGEST_LOOK_MS))
          }, reject)
        }, delay)
      }
      look(FIRST_LOOK_MS)
    })
    return result(execution)
  } finally {
    clearTimeout(timer)
    engine.off('execution:finished', onFinished)
  }
}

function result(execution: ExecutionRecord): RunResult {
  return execution.sync && execution.response ? { execution, response: execution.response } : { execution }
}
