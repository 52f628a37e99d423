/**
 * @module
 * How workers find work on Postgres: what is claimable, and the two statements that read it in
 * claim order (a poll's list of ids, and `claimNext`, which claims what it finds). Both run with
 * planner settings of their own (`IN_CLAIM_ORDER`) and carry their values as literals.
 */
import { integerLiteral, textLiteral } from './sql-literal.js'
import { SELECT_COLUMNS } from './execution-row.js'

/** What a worker may claim at `now` (a parameter or a literal): queued and due, or started with an expired claim. */
export const CLAIMABLE = (now: string): string =>
  `status IN ('queued', 'started') AND ((status = 'queued' AND (wake_at IS NULL OR wake_at <= ${now}))
   OR (status = 'started' AND lease_until <= ${now}))`

/** A claim's changes, given the time, the owner and the lease's end (parameters or literals). */
export const CLAIM = (now: string, owner: string, leaseUntil: string): string =>
  `SET status = 'started', started_at = coalesce(started_at, ${now}), attempts = attempts + 1, owner = ${owner}, lease_until = ${leaseUntil}`

/**
 * How the claimable executions are read: along the pending index, in its order, stopping after
 * the first `limit`. Left to itself, the planner reads every pending row and sorts them (a
 * bitmap scan) whenever its statistics say few are pending: on a table not yet analyzed, or
 * analyzed while it was quiet. A backlog of 10,000 then cost 3-7 ms per poll, growing with it;
 * along the index, 0.2 ms.
 */
export const IN_CLAIM_ORDER = { enable_bitmapscan: 'off', enable_seqscan: 'off' } as const

/** The ids `claimable` lists: the oldest claimable first. */
export function claimableQuery(executions: string, { now, limit }: { now: number; limit: number }): string {
  return `SELECT id FROM ${executions} WHERE ${CLAIMABLE(integerLiteral(now))} ORDER BY created_at, seq LIMIT ${integerLiteral(limit)}`
}

/**
 * `claimNext`: the oldest claimable ones, claimed in the same statement as `claim` claims one
 * (rows another worker is claiming are skipped, not waited for). Returns `seq` for the order.
 */
export function claimNextQuery(executions: string, { owner, leaseMs, now, limit }: { owner: string; leaseMs: number; now: number; limit: number }): string {
  const at = integerLiteral(now)
  return `UPDATE ${executions} ${CLAIM(at, textLiteral(owner), integerLiteral(now + leaseMs))}
    WHERE seq IN (SELECT seq FROM ${executions} WHERE ${CLAIMABLE(at)}
      ORDER BY created_at, seq LIMIT ${integerLiteral(limit)} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING seq, ${SELECT_COLUMNS}`
}
