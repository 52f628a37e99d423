/**
 * @module
 * The engine's control-flow error for an aborted execution (not an HTTP error): the
 * `reason` of the AbortSignal handed to node code, and what the execution records.
 */
import type { AbortReason } from './execution.js'

export class ExecutionAbort extends Error {
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
