/**
 * @module
 * `retry` and `cancel` on a store directly, for a process that has no workflow registered: a
 * status change in the store that the workers of that store (a running `hookflow dev`, any
 * `engine.start()`) act on, exactly as `engine.retry` and `engine.cancel` leave it.
 *
 * - retry: a failed, error or aborted execution goes back to `queued`; the next worker to poll
 *   the store claims it and continues after its last resolved job.
 * - cancel: a queued, parked or running execution is stored `aborted` with reason `canceled`,
 *   by a write that applies only while it is not final; a worker running it elsewhere stops at
 *   its next job save or heartbeat.
 *
 * ```ts
 * await retryInStore(store, id)   // { ok: true, execution } or { ok: false, reason }
 * ```
 */
import type { ExecutionRecord } from '../../engine/execution.js'
import type { Store } from '../../storage/store.js'

export type ActionResult = { ok: true; execution: ExecutionRecord } | { ok: false; reason: string }

const RETRYABLE = new Set(['failed', 'error', 'aborted'])

export async function retryInStore(store: Store, id: string): Promise<ActionResult> {
  const execution = await store.executions.get(id)
  if (!execution) return { ok: false, reason: `no execution ${id}` }
  if (!RETRYABLE.has(execution.status)) {
    return { ok: false, reason: `execution ${id} is ${execution.status}; only failed, error or aborted ones can be retried` }
  }
  const patch = { status: 'queued', reason: null, error: null, finishedAt: null, wakeAt: null } as const
  await store.executions.update(id, patch)
  // The Postgres store's queue, never started here, tells listening workers at once (NOTIFY);
  // SQLite's workers find it at their next poll.
  if (store.createQueue) {
    const queue = store.createQueue({ onError: () => undefined })
    await queue.enqueue(id)
    await queue.close()
  }
  return { ok: true, execution: { ...execution, ...patch } }
}

/**
 * Stores the execution `aborted` (reason `canceled`) with a write that applies only while it is
 * not final, as `engine.cancel` does. A worker that is running it in another process finds its
 * claim gone at its next job save or heartbeat, and stops without storing anything more.
 */
export async function cancelInStore(store: Store, id: string): Promise<ActionResult> {
  const execution = await store.executions.get(id)
  if (!execution) return { ok: false, reason: `no execution ${id}` }
  if (execution.status !== 'queued' && execution.status !== 'started') {
    return { ok: false, reason: `execution ${id} is already ${execution.status}` }
  }
  const patch = { status: 'aborted', reason: 'canceled', error: null, finishedAt: Date.now(), wakeAt: null } as const
  // A store without write conditions resolves void: taken as stored (the read above is its only check).
  if ((await store.executions.update(id, patch, { unfinished: true })) === false) {
    const now = await store.executions.get(id)
    return { ok: false, reason: `execution ${id} is already ${now?.status ?? 'gone'}` }
  }
  return { ok: true, execution: { ...execution, ...patch } }
}
