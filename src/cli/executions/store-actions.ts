/**
 * @module
 * `retry` and `cancel` on a store directly, for a process that has no workflow registered: a
 * status change in the store that the workers of that store (a running `hookflow dev`, any
 * `engine.start()`) act on, exactly as `engine.retry` and `engine.cancel` leave it.
 *
 * - retry: a failed, error or aborted execution goes back to `queued`; the next worker to poll
 *   the store claims it and continues after its last resolved job.
 * - cancel: a queued (or parked) execution is claimed, so no worker starts it meanwhile, and
 *   marked `aborted` with reason `canceled`. One running in another process cannot be reached
 *   from here: its claim is live, and only that process (`engine.cancel`) can stop it.
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

/** How long the cancelling claim holds; the execution is final before it matters. */
const CANCEL_LEASE_MS = 60_000

export async function cancelInStore(store: Store, id: string, owner: string): Promise<ActionResult> {
  const execution = await store.executions.get(id)
  if (!execution) return { ok: false, reason: `no execution ${id}` }
  if (execution.status !== 'queued' && execution.status !== 'started') {
    return { ok: false, reason: `execution ${id} is already ${execution.status}` }
  }
  // A parked one (a delay, a retry) is claimed as of its wake time, which it is not yet due for.
  const now = Math.max(Date.now(), execution.wakeAt ?? 0)
  const claimed = await store.executions.claim(id, { owner, leaseMs: CANCEL_LEASE_MS, now })
  if (!claimed) {
    return {
      ok: false,
      reason: `execution ${id} is running in another process, which holds it: cancel it there (engine.cancel), or stop that process and cancel it once its claim expires`,
    }
  }
  const finishedAt = Date.now()
  await store.executions.update(id, { status: 'aborted', reason: 'canceled', response: null, error: null, finishedAt, wakeAt: null })
  return { ok: true, execution: { ...execution, status: 'aborted', reason: 'canceled', finishedAt } }
}
