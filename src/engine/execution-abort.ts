/**
 * @module
 * The engine's control-flow error for an aborted execution (not an HTTP error): the
 * `reason` of the AbortSignal handed to node code, and what the execution records.
 */
import type { AbortReason } from './execution.js'

/**
 * The reason an aborted execution's signal carries: a timeout, or a cancel.
 *
 * @example
 * ```ts
 * import { defineNode, ExecutionAbort } from 'hookflow'
 *
 * const slow = defineNode({
 *   type: 'slow',
 *   run: ({ signal }) => new Promise((resolve, reject) => {
 *     const timer = setTimeout(resolve, 60_000)
 *     signal.addEventListener('abort', () => {
 *       clearTimeout(timer)
 *       reject(new Error(`stopped: ${ExecutionAbort.reasonOf(signal.reason)}`))
 *     })
 *   }),
 * })
 * ```
 */
export class ExecutionAbort extends Error {
  /** Why the execution was aborted: `timeout` or `canceled`. */
  readonly reason: AbortReason

  constructor(reason: AbortReason) {
    super(reason === 'timeout' ? 'Execution timed out' : 'Execution was canceled')
    this.name = 'ExecutionAbort'
    this.reason = reason
  }

  /** The abort reason behind any signal reason: ours, or `canceled` for anything else. */
  static reasonOf(value: unknown): AbortReason {
    return value instanceof ExecutionAbort ? value.reason : 'canceled'
  }
}
