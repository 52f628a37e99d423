/**
 * @module
 * The `parallel` node (NocoBase's semantics): runs all its branches (any names) at once and
 * goes on by `mode`:
 * - `all` (default): once every branch resolved; the first that fails, errors or ends the
 *   execution decides at once, and the others are aborted.
 * - `any`: once one branch resolved (the others are aborted); fails when every branch failed.
 * - `race`: the first branch to finish decides, resolved or not; the others are aborted.
 * - `allSettled`: waits for every branch and resolves whatever they did.
 * A branch that ends the execution (an End node) ends it once the parallel node settles.
 * Aborted branches see their `signal` fire; their running node's job is `aborted`. The
 * result lists each branch's status.
 *
 * ```json
 * { "key": "fanout", "type": "parallel", "config": { "mode": "all" },
 *   "branches": { "crm": [{ "key": "toCrm", "type": "request", "config": { "url": "https://crm.example/hook" } }],
 *                 "mail": [{ "key": "toMail", "type": "acme.mail" }] } }
 * ```
 */
import { defineNode, type BranchOutcome } from '../engine/node-type.js'
import { passOn } from './branch-outcome.js'

import type { ParallelMode } from '../engine/node-definitions.js'

export type { ParallelMode }

/**
 * A Parallel node's config: how its branches settle it.
 *
 * @example
 * ```ts
 * import type { ParallelConfig } from 'hookflow'
 *
 * const config: ParallelConfig = { mode: 'any' }
 * ```
 */
export interface ParallelConfig {
  /** How the branches settle the node; default `all`. */
  mode?: ParallelMode
}

/**
 * A Parallel node's result: its mode and how each branch ended.
 *
 * @example
 * ```ts
 * import type { ParallelResult } from 'hookflow'
 *
 * const result: ParallelResult = { mode: 'all', branches: { crm: 'resolved', mail: 'resolved' } }
 * ```
 */
export interface ParallelResult {
  /** The mode it ran with. */
  mode: ParallelMode
  /** Each branch's outcome status; `aborted` for branches stopped after the decision. */
  branches: Record<string, BranchOutcome['status']>
}

const succeeded = (outcome: BranchOutcome): boolean => outcome.status === 'resolved' && !outcome.ended

/** True once `outcome` (just settled) decides the node in `mode`; `left` branches still run. */
function decides(mode: ParallelMode, outcome: BranchOutcome, left: number): boolean {
  if (outcome.status === 'parked') return false
  switch (mode) {
    case 'all':
      return !succeeded(outcome)
    case 'any':
      return outcome.status === 'resolved' || left === 0
    case 'race':
      return true
    case 'allSettled':
      return false
  }
}

/**
 * The `parallel` node type: runs every branch at once.
 *
 * @example
 * ```ts
 * import { parallelNode } from 'hookflow'
 *
 * console.log(parallelNode.type, parallelNode.anyBranches) // 'parallel' true
 * ```
 */
export const parallelNode = defineNode<ParallelConfig, ParallelResult>({
  type: 'parallel',
  anyBranches: true,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { mode: { enum: ['all', 'any', 'race', 'allSettled'] } },
  },
  async run({ config, flow, node }) {
    const mode = config.mode ?? 'all'
    const names = node.branches
    const controllers = names.map(() => new AbortController())
    const runs = names.map((name, i) => flow.run(name, { signal: controllers[i]!.signal }).then((outcome) => ({ name, i, outcome })))
    const pending = new Map(runs.map((run, i) => [i, run]))
    const statuses: Record<string, BranchOutcome['status']> = {}
    let verdict: { name: string; outcome: BranchOutcome } | undefined
    while (pending.size > 0) {
      const { name, i, outcome } = await Promise.race(pending.values())
      pending.delete(i)
      statuses[name] = outcome.status
      if (decides(mode, outcome, pending.size)) {
        verdict = { name, outcome }
        break
      }
      // allSettled: a branch that ended the execution still ends it, after the others.
      if (mode === 'allSettled' && outcome.ended) verdict ??= { name, outcome }
    }
    for (const i of pending.keys()) controllers[i]!.abort(new Error(`Branch "${names[i]}" of parallel "${node.key}" lost (${mode})`))
    for (const { name, outcome } of await Promise.all(pending.values())) statuses[name] = outcome.status
    if (verdict) passOn(verdict.name, verdict.outcome, flow)
    return { mode, branches: statuses }
  },
})
