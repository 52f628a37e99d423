/**
 * @module
 * `jobs` on Postgres: a batch is one statement (`unnest` of indexes and JSON texts, upserted by
 * execution and index). The foreign key refuses jobs of an execution the store does not hold,
 * and deleting an execution takes its jobs along.
 */
import type { JobRecord } from '../../engine/execution.js'
import type { JobStore, WriteConditions } from '../store.js'
import type { Database } from './database.js'
import { jobText } from '../job-text.js'
import { sqlState } from './postgres-store-error.js'

/** The execution is `started` and claimed by the owner at `param`. */
const HELD_BY = (param: string): string => `status = 'started' AND owner = ${param}`

export function postgresJobs(db: Database): JobStore {
  const { jobs } = db.names
  const save = `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT $1, idx, job::json FROM unnest($2::int[], $3::text[]) AS batch (idx, job)
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job`
  const saveHeld = `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT $1, idx, job::json FROM unnest($2::int[], $3::text[]) AS batch (idx, job)
    WHERE EXISTS (SELECT 1 FROM ${db.names.executions} WHERE id = $1 AND ${HELD_BY('$4')} FOR SHARE)
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job`

  return {
    async save(executionId: string, batch: readonly JobRecord[], conditions?: Pick<WriteConditions, 'owner'>): Promise<boolean> {
      const owner = conditions?.owner
      if (batch.length === 0) {
        // Still refuses an execution it does not hold, as a batch would.
        const { rowCount } = owner === undefined
          ? await db.query(`SELECT 1 FROM ${db.names.executions} WHERE id = $1`, [executionId])
          : await db.query(`SELECT 1 FROM ${db.names.executions} WHERE id = $1 AND ${HELD_BY('$2')}`, [executionId, owner])
        if (!rowCount && owner === undefined) throw new Error(`Execution ${executionId} does not exist`)
        return rowCount !== 0 && rowCount !== null
      }
      // One row per index, the last one given winning: an upsert may touch a row only once.
      const byIndex = new Map<number, string>()
      for (const job of batch) byIndex.set(job.index, jobText(job))
      try {
        if (owner === undefined) {
          await db.query(save, [executionId, [...byIndex.keys()], [...byIndex.values()]])
          return true
        }
        // One statement still: the rows go in only while the owner holds the claim. The share lock
        // makes a cancel or a takeover committed meanwhile be seen (the claim check is read again).
        const { rowCount } = await db.query(saveHeld, [executionId, [...byIndex.keys()], [...byIndex.values()], owner])
        return (rowCount ?? 0) > 0
      } catch (error) {
        // foreign_key_violation: no such execution.
        if (sqlState((error as Error).cause) === '23503') throw new Error(`Execution ${executionId} does not exist`, { cause: error })
        throw error
      }
    },

    async list(executionId: string): Promise<JobRecord[]> {
      const { rows } = await db.query<{ job: string }>(`SELECT job::text AS job FROM ${jobs} WHERE execution_id = $1 ORDER BY idx`, [executionId])
      return rows.map((row) => JSON.parse(row.job) as JobRecord)
    },
  }
}
