/**
 * @module
 * `executions` and `jobs` on SQLite. Reads run at once on the connection; writes go through the
 * group commit, so each resolves only after the transaction holding it committed.
 */
import type Database from 'better-sqlite3'
import type { ExecutionRecord, JobRecord } from '../../engine/execution.js'
import type {
  ClaimOptions,
  CountExecutionsQuery,
  CreateResult,
  ExecutionCount,
  ExecutionPatch,
  ExecutionStore,
  JobStore,
  ListExecutionsQuery,
  NewExecution,
  PruneOptions,
  ReleaseOptions,
  WriteConditions,
} from '../store.js'
import type { GroupCommit } from './group-commit.js'
import { type ExecutionRow, INSERT_COLUMNS, insertValues, toRecord } from './execution-row.js'
import { nullableJson } from '../../engine/json-text.js'
import { jobText } from '../job-text.js'
import { PATCH_COLUMNS } from '../sql-columns.js'
import { KEEP_CUTOFF_SQL, listQuery, pruneCondition, statementCache } from './list-query.js'


const JSON_FIELDS = new Set(['response', 'error'])

/**
 * What a worker may claim (two parameters, both now): queued and due, or started with an
 * expired claim. The `IN` term repeats the pending index's condition word for word, so SQLite
 * may use it.
 */
const CLAIMABLE = `status IN ('queued', 'started')
  AND ((status = 'queued' AND coalesce(wake_at, 0) <= ?) OR (status = 'started' AND lease_until <= ?))`

/** A claim's changes (parameters: now, owner, the lease's end), as `claim` and `claimNext` make them. */
const CLAIM = `SET status = 'started', started_at = coalesce(started_at, ?), attempts = attempts + 1, owner = ?, lease_until = ?`

export function sqliteRecords(db: Database.Database, commit: GroupCommit): { executions: ExecutionStore; jobs: JobStore } {
  const statement = statementCache(db)
  const insert = db.prepare(
    `INSERT INTO executions (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT (event_key) DO NOTHING`,
  )
  const byId = db.prepare<[string], ExecutionRow>('SELECT * FROM executions WHERE id = ?')
  const byEventKey = db.prepare<[string], ExecutionRow>('SELECT * FROM executions WHERE event_key = ?')
  // Contract B: a holder whose idempotency window has passed gives its key up.
  const releaseExpiredKey = db.prepare<[string, number]>(
    'UPDATE executions SET event_key = NULL WHERE event_key = ? AND event_key_expires_at IS NOT NULL AND event_key_expires_at <= ?',
  )
  const exists = db.prepare<[string], { seq: number; created_at: number }>('SELECT seq, created_at FROM executions WHERE id = ?')
  const claim = db.prepare<[number, string, number, string, number, number], ExecutionRow>(
    `UPDATE executions ${CLAIM} WHERE id = ? AND ${CLAIMABLE} RETURNING *`,
  )
  const renew = db.prepare("UPDATE executions SET lease_until = ? WHERE id = ? AND owner = ? AND status = 'started'")
  const release = db.prepare<[number | null, string, string]>(
    "UPDATE executions SET status = 'queued', owner = NULL, lease_until = 0, wake_at = ? WHERE id = ? AND owner = ? AND status = 'started'",
  )
  // The `IN` term repeats the pending index's condition word for word, so SQLite may use it.
  const claimOwners = db.prepare<[number], { owner: string }>(
    `SELECT DISTINCT owner FROM executions
     WHERE status IN ('queued', 'started') AND status = 'started' AND owner IS NOT NULL AND lease_until > ?`,
  )
  const releaseOwner = db.prepare<[string], { id: string }>(
    `UPDATE executions SET status = 'queued', owner = NULL, lease_until = 0, wake_at = NULL
     WHERE status IN ('queued', 'started') AND status = 'started' AND owner = ? RETURNING id`,
  )
  const claimable = db.prepare<[number, number, number], { id: string }>(
    `SELECT id FROM executions WHERE ${CLAIMABLE} ORDER BY created_at, seq LIMIT ?`,
  )
  // The claimable ones, oldest first, claimed in the same statement (`claimNext`).
  const claimNext = db.prepare<[number, string, number, number, number, number], ExecutionRow>(
    `UPDATE executions ${CLAIM}
     WHERE seq IN (SELECT seq FROM executions WHERE ${CLAIMABLE} ORDER BY created_at, seq LIMIT ?) RETURNING *`,
  )
  const deleteExecution = db.prepare<[string], { seq: number }>('DELETE FROM executions WHERE id = ? RETURNING seq')
  const deleteJobs = db.prepare('DELETE FROM jobs WHERE execution_seq = ?')
  const saveJob = db.prepare(
    'INSERT INTO jobs (execution_seq, idx, json) VALUES (?, ?, ?) ON CONFLICT (execution_seq, idx) DO UPDATE SET json = excluded.json',
  )
  const listJobs = db.prepare<[string], { json: string }>(
    'SELECT json FROM jobs WHERE execution_seq = (SELECT seq FROM executions WHERE id = ?) ORDER BY idx',
  )

  // Several statements as one write: a savepoint inside the group's transaction, so a write
  // that fails halfway leaves nothing behind.
  const deleteOne = db.transaction((id: string): boolean => {
    const deleted = deleteExecution.get(id)
    if (deleted) deleteJobs.run(deleted.seq)
    return deleted !== undefined
  })
  // After an event key conflict: take the key over from an expired holder, in a savepoint so
  // that a failing insert (a taken id) gives the key back. No other create runs in between.
  const takeOverKey = db.transaction((eventKey: string, createdAt: number, values: unknown[]): boolean =>
    releaseExpiredKey.run(eventKey, createdAt).changes > 0 && insert.run(...values).changes > 0,
  )
  const heldBy = db.prepare<[string, string], { seq: number }>("SELECT seq FROM executions WHERE id = ? AND status = 'started' AND owner = ?")
  const saveJobs = db.transaction((executionId: string, texts: Array<[number, string]>, owner?: string): boolean => {
    const execution = owner === undefined ? exists.get(executionId) : heldBy.get(executionId, owner)
    if (!execution && owner !== undefined) return false
    if (!execution) throw new Error(`Execution ${executionId} does not exist`)
    for (const [index, text] of texts) saveJob.run(execution.seq, index, text)
    return true
  })
  const count = db.prepare<[number], ExecutionCount>(
    'SELECT workflow_key AS workflowKey, status, count(*) AS count FROM executions WHERE created_at >= ? GROUP BY workflow_key, status',
  )
  const keepCutoff = db.prepare<[number], { created_at: number; seq: number }>(KEEP_CUTOFF_SQL)
  const prune = db.transaction((options: PruneOptions): number => {
    const condition = pruneCondition(options, options.keep === undefined ? undefined : keepCutoff.get(options.keep))
    if (!condition) return 0
    statement(`DELETE FROM jobs WHERE execution_seq IN (SELECT seq FROM executions WHERE ${condition.sql})`).run(...condition.params)
    return statement(`DELETE FROM executions WHERE ${condition.sql}`).run(...condition.params).changes
  })

  const executions: ExecutionStore = {
    create(execution: NewExecution, claimOptions?: ClaimOptions): Promise<CreateResult> {
      const values = insertValues(execution, claimOptions)
      return commit.run((): CreateResult => {
        if (insert.run(...values).changes > 0) return { created: true, execution: { ...execution, jobs: [] } }
        // Only an event key conflict does nothing; a taken id throws.
        const eventKey = execution.eventKey!
        if (takeOverKey(eventKey, execution.createdAt, values)) return { created: true, execution: { ...execution, jobs: [] } }
        return { created: false, execution: toRecord(byEventKey.get(eventKey)!) }
      })
    },

    async get(id: string): Promise<ExecutionRecord | undefined> {
      const row = byId.get(id)
      return row && toRecord(row)
    },

    update(id: string, patch: ExecutionPatch, conditions?: WriteConditions): Promise<boolean> {
      const { sql, params } = patchStatement(id, patch, conditions)
      return commit.run(() => {
        if (statement(sql).run(...params).changes > 0) return true
        if (conditions) return false
        throw new Error(`Execution ${id} does not exist`)
      })
    },

    finish(id: string, patch: ExecutionPatch, records: readonly JobRecord[], conditions: Required<Pick<WriteConditions, 'owner'>>): Promise<boolean> {
      const texts = records.map((job): [number, string] => [job.index, jobText(job)])
      const { sql, params } = patchStatement(id, patch, conditions)
      // The jobs go in only while the owner holds the claim, and nothing runs between the two.
      return commit.run(() => saveJobs(id, texts, conditions.owner) && statement(sql).run(...params).changes > 0)
    },

    claim(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<ExecutionRecord | undefined> {
      return commit.run(() => {
        const row = claim.get(now, owner, now + leaseMs, id, now, now)
        return row && toRecord(row)
      })
    },

    claimNext({ owner, leaseMs, now, limit }: ClaimOptions & { limit: number }): Promise<ExecutionRecord[]> {
      return commit.run(() => {
        // RETURNING gives the rows in no set order: put back in claim order.
        const rows = claimNext.all(now, owner, now + leaseMs, now, now, limit)
        return rows.sort((a, b) => a.created_at - b.created_at || a.seq - b.seq).map(toRecord)
      })
    },

    renew(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<boolean> {
      return commit.run(() => renew.run(now + leaseMs, id, owner).changes > 0)
    },

    release(id: string, { owner, wakeAt }: ReleaseOptions): Promise<boolean> {
      return commit.run(() => release.run(wakeAt ?? null, id, owner).changes > 0)
    },

    async claimOwners({ now }: { now: number }): Promise<string[]> {
      return claimOwners.all(now).map((row) => row.owner)
    },

    releaseOwner(owner: string): Promise<string[]> {
      return commit.run(() => releaseOwner.all(owner).map((row) => row.id))
    },

    async claimable({ now, limit }: { now: number; limit: number }): Promise<string[]> {
      return claimable.all(now, now, limit).map((row) => row.id)
    },

    async list(query: ListExecutionsQuery): Promise<ExecutionRecord[]> {
      const cursor = query.before && exists.get(query.before.id)
      const { sql, params } = listQuery(query, cursor)
      return (statement(sql).all(...params) as ExecutionRow[]).map(toRecord)
    },

    async count({ since }: CountExecutionsQuery): Promise<ExecutionCount[]> {
      return count.all(since ?? Number.MIN_SAFE_INTEGER)
    },

    delete(id: string): Promise<boolean> {
      return commit.run(() => deleteOne(id))
    },

    async prune(options: PruneOptions): Promise<number> {
      if (options.createdBefore === undefined && options.keep === undefined) return 0
      return commit.run(() => prune(options))
    },
  }

  const jobs: JobStore = {
    save(executionId: string, records: readonly JobRecord[], conditions?: Pick<WriteConditions, 'owner'>): Promise<boolean> {
      const texts = records.map((job): [number, string] => [job.index, jobText(job)])
      return commit.run(() => saveJobs(executionId, texts, conditions?.owner))
    },

    async list(executionId: string): Promise<JobRecord[]> {
      return listJobs.all(executionId).map((row) => JSON.parse(row.json) as JobRecord)
    },
  }

  return { executions, jobs }
}

/** The UPDATE of a patch under its conditions (fields and conditions in a fixed order). */
function patchStatement(id: string, patch: ExecutionPatch, conditions?: WriteConditions): { sql: string; params: unknown[] } {
  const fields = (Object.keys(PATCH_COLUMNS) as Array<keyof ExecutionPatch>).filter((field) => patch[field] !== undefined)
  const values = fields.map((field) => (JSON_FIELDS.has(field) ? nullableJson(patch[field]) : patch[field]))
  const where = `id = ?${conditions?.owner === undefined ? '' : " AND status = 'started' AND owner = ?"}${conditions?.unfinished ? " AND status IN ('queued', 'started')" : ''}`
  const sql = fields.length === 0
    ? `UPDATE executions SET id = id WHERE ${where}`
    : `UPDATE executions SET ${fields.map((field) => `${PATCH_COLUMNS[field]} = ?`).join(', ')} WHERE ${where}`
  return { sql, params: conditions?.owner === undefined ? [...values, id] : [...values, id, conditions.owner] }
}
