/**
 * @module
 * The SQL of `executions.list` and `executions.prune`, built from the filters a query uses. The
 * order is `created_at DESC, seq DESC` (newest first, later inserts first on a tie), which the
 * `(created_at, seq)` indexes serve without a sort.
 */
import type Database from 'better-sqlite3'
import type { ListExecutionsQuery, PruneOptions } from '../store.js'
import { FINAL_STATUSES } from '../../engine/execution.js'

const FINAL = [...FINAL_STATUSES].map((status) => `'${status}'`).join(', ')

export interface BuiltQuery {
  sql: string
  params: unknown[]
}

/** `cursor` is the `before` execution's row, when it still exists. */
export function listQuery(query: ListExecutionsQuery, cursor: { created_at: number; seq: number } | undefined): BuiltQuery {
  const where: string[] = []
  const params: unknown[] = []
  if (query.workflowKey !== undefined) {
    where.push('workflow_key = ?')
    params.push(query.workflowKey)
  }
  if (query.status !== undefined) {
    const statuses = [query.status].flat()
    // One status as an equality: the `(workflow_key, status, created_at, seq)` index then gives
    // a filtered page in list order, with no sort.
    where.push(statuses.length === 1 ? 'status = ?' : `status IN (${statuses.map(() => '?').join(', ')})`)
    params.push(...statuses)
  }
  if (query.since !== undefined) {
    where.push('created_at >= ?')
    params.push(query.since)
  }
  if (cursor) {
    where.push('(created_at < ? OR (created_at = ? AND seq < ?))')
    params.push(cursor.created_at, cursor.created_at, cursor.seq)
  } else if (query.before) {
    // The cursor's execution is gone (deleted, pruned): continue with what is older than it.
    where.push('created_at < ?')
    params.push(query.before.createdAt)
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
  params.push(query.limit)
  return { sql: `SELECT * FROM executions ${filter} ORDER BY created_at DESC, seq DESC LIMIT ?`, params }
}

/** The newest final execution that `keep` would delete: the one after the first `keep`. */
export const KEEP_CUTOFF_SQL = `SELECT created_at, seq FROM executions WHERE status IN (${FINAL})
  ORDER BY created_at DESC, seq DESC LIMIT 1 OFFSET ?`

/**
 * Which final executions `prune` deletes, as a condition on `executions`; undefined for none.
 * Both limits delete a prefix of the list order (the oldest), so their union is the longer
 * prefix: one range the `(created_at, seq)` index serves, never a scan of the whole table.
 */
export function pruneCondition(
  { createdBefore }: PruneOptions,
  keepCutoff: { created_at: number; seq: number } | undefined,
): BuiltQuery | undefined {
  if (keepCutoff && (createdBefore === undefined || createdBefore <= keepCutoff.created_at)) {
    return { sql: `status IN (${FINAL}) AND (created_at, seq) <= (?, ?)`, params: [keepCutoff.created_at, keepCutoff.seq] }
  }
  if (createdBefore !== undefined) return { sql: `status IN (${FINAL}) AND created_at < ?`, params: [createdBefore] }
  return undefined
}

/** Prepared statements by their SQL: list shapes are few, and preparing costs more than a lookup. */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>()
  return (sql) => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
}
