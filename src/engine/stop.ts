/**
 * @module
 * How a chain of nodes ended, when it did not simply run to its last node: a `Stop` is
 * returned, never thrown (a rejected promise per stop costs more than the run).
 */
import type { AbortReason, ErrorInfo } from './execution.js'

export type StopStatus = 'resolved' | 'failed' | 'error' | 'aborted' | 'parked'

export class Stop {
  constructor(
    readonly status: StopStatus,
    readonly reason: AbortReason | null = null,
    readonly error: ErrorInfo | null = null,
    /** A node ended the execution on purpose (`flow.end`: an End node, a rejecting condition). */
    readonly ended = false,
    /** `parked`: when the execution wakes (epoch ms). */
    readonly wakeAt: number | null = null,
  ) {}
}

/** A chain step: finished (`undefined`), stopped, or later. */
export type Step = Stop | undefined | Promise<Stop | undefined>
