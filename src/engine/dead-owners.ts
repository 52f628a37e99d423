/**
 * @module
 * Takeover in seconds on one host: the claims of a process on this host that is gone (killed,
 * crashed) are released at once, so any worker claims and resumes them without waiting for
 * their lease to run out. Claims of other hosts always wait out their lease: no process here
 * can tell whether a process elsewhere is alive.
 */
import type { ExecutionStore } from '../storage/store.js'
import { isDeadLocalOwner } from './process-owner.js'

/** Releases the claims of every dead owner on this host; resolves with what it released. */
export async function releaseDeadOwners(executions: ExecutionStore, now: number): Promise<Array<{ owner: string; ids: string[] }>> {
  const released: Array<{ owner: string; ids: string[] }> = []
  if (!executions.claimOwners || !executions.releaseOwner) return released
  for (const owner of await executions.claimOwners({ now })) {
    if (!isDeadLocalOwner(owner)) continue
    const ids = await executions.releaseOwner(owner)
    if (ids.length > 0) released.push({ owner, ids })
  }
  return released
}
