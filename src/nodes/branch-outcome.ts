/**
 * @module
 * What a node that runs branches inline (loop, parallel) does with a branch's outcome: a
 * branch that failed, errored or ended the execution ends the node the same way.
 */
import type { BranchOutcome, NodeFlow } from '../engine/node-type.js'

/** A branch's error, surfacing as the error of the node that ran it. */
export class BranchError extends Error {
  readonly code: string | undefined

  constructor(branch: string, outcome: BranchOutcome) {
    super(outcome.error?.message ?? `Branch "${branch}" was ${outcome.status}`)
    this.name = outcome.error?.name ?? 'BranchError'
    this.code = outcome.error?.code
  }
}

/**
 * Passes on an outcome that ends more than the branch: `failed` and an `ended` resolve end the
 * execution (`flow.end`), `error` and `aborted` throw. True when the node must stop now
 * (`parked` too: the execution parks once the node returns).
 */
export function passOn(branch: string, outcome: BranchOutcome, flow: NodeFlow): boolean {
  switch (outcome.status) {
    case 'resolved':
      if (outcome.ended) flow.end('resolved')
      return outcome.ended
    case 'failed':
      flow.end('failed')
      return true
    case 'parked':
      return true
    default:
      throw new BranchError(branch, outcome)
  }
}
