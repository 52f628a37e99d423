/**
 * @module
 * The SQL of `executions.list` and `executions.prune`, built from the filters a query uses
 * (values always go as parameters). The order is `created_at DESC, seq DESC`: newest first,
 * the later insert first on a tie, which the `(created_at, seq)` indexes serve without a sort.
 */
import { FINAL_STATUSES } from '../../engine/execution.js'
import type { ListExecutionsQuery, PruneOptions } from '../store.js'
import { SELECT_COLUMNS } from './execution-row.js'
import type { PostgresNames } from './names.js'

const FINAL = [...FINAL_STATUSES].map((status) => `'${status}'`).join(', ')

export interface BuiltQuery {
  sql: string
  values: unknown[]
}

export function listQuery({ executions }: PostgresNames, query: ListExecutionsQuery): BuiltQuery {
  const where: string[] = []
  const values: unknown[] = []
  const param = (value: unknown): string => `$${values.push(value)}`
  if (query.workflowKey !== undefined) where.push(`workflow_key = ${param(query.workflowKey)}`)
  if (query.status !== undefined) {
    const statuses = [query.status].flat()
    // One status as an equality: the `(workflow_key, status, created_at, seq)` index then gives
    // a filtered page in list order, with no sort.
    where.push(statuses.length === 1 ? `status = ${param(statuses[0])}` : `status = ANY(${param(statuses)}::text[])`)
  }
  if (query.since !== undefined) where.push(`created_at >= ${param(query.since)}`)
  if (query.before) {
    // After the cursor's row; when that row is gone (deleted, pruned), after its creation time
    // (seq starts at 1, so `(createdAt, 0)` is before every row of that millisecond). Both
    // sub-selects run once, and the row comparison is a range of the `(created_at, seq)` index.
    const id = param(query.before.id)
    const cursor = (column: string): string => `(SELECT ${column} FROM ${executions} WHERE id = ${id})`
    where.push(`(created_at, seq) < (coalesce(${cursor('created_at')}, ${param(query.before.createdAt)}), coalesce(${cursor('seq')}, 0))`)
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
  return {
    sql: `SELECT ${SELECT_COLUMNS} FROM ${executions} ${filter} ORDER BY created_at DESC, seq DESC LIMIT ${param(query.limit)}`,
    values,
  }
}

/**
 * `prune` as one DELETE (jobs go by cascade). Both limits delete a prefix of the list order
 * (the oldest final executions), so their union is the longer prefix.
 */
export function pruneQuery({ executions }: PostgresNames, { createdBefore, keep }: PruneOptions): BuiltQuery | undefined {
  const values: unknown[] = []
  const param = (value: unknown): string => `$${values.push(value)}`
  const conditions: string[] = []
  if (createdBefore !== undefined) conditions.push(`created_at < ${param(createdBefore)}`)
  if (keep !== undefined) {
    conditions.push(`(created_at, seq) <= (SELECT created_at, seq FROM ${executions} WHERE status IN (${FINAL})
      ORDER BY created_at DESC, seq DESC LIMIT 1 OFFSET ${param(keep)})`)
  }
  if (conditions.length === 0) return undefined
  return { sql: `DELETE FROM ${executions} WHERE status IN (${FINAL}) AND (${conditions.join(' OR ')})`, values }
}
