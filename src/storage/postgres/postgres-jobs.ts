/**
 * @module
 * `jobs` on Postgres: a batch is one statement (`unnest` of indexes and JSON texts, upserted by
 * execution and index). The foreign key refuses jobs of an execution the store does not hold,
 * and deleting an execution takes its jobs along.
 */
import type { JobRecord } from '../../engine/execution.js'
import type { JobStore } from '../store.js'
import type { Database } from './database.js'
import { jobText } from '../job-text.js'
import { sqlState } from './postgres-store-error.js'
import { StatementBatch } from './statement-batch.js'

interface SaveCall {
  executionId: string
  byIndex: Map<number, string>
}

export function postgresJobs(db: Database): JobStore {
  const { jobs } = db.names
  const save = `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT $1, idx, job::json FROM unnest($2::int[], $3::text[]) AS batch (idx, job)
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job`
  // The saves of one event-loop turn (several runs finishing a node together) in one statement.
  const saveMany = `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT execution_id, idx, job::json FROM unnest($1::text[], $2::int[], $3::text[]) AS batch (execution_id, idx, job)
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job`
  const saves = new StatementBatch<SaveCall, void>(
    async ({ executionId, byIndex }) => void (await db.query(save, [executionId, [...byIndex.keys()], [...byIndex.values()]])),
    async (calls) => {
      const ids: string[] = []
      const indexes: number[] = []
      const texts: string[] = []
      for (const { executionId, byIndex } of calls) {
        for (const [index, text] of byIndex) {
          ids.push(executionId)
          indexes.push(index)
          texts.push(text)
        }
      }
      // The same row twice fails the statement (an upsert touches a row once); then each runs alone.
      await db.query(saveMany, [ids, indexes, texts])
      return calls.map(() => undefined)
    },
  )

  return {
    async save(executionId: string, batch: readonly JobRecord[]): Promise<void> {
      if (batch.length === 0) {
        // Still refuses an execution it does not hold, as a batch would.
        const { rowCount } = await db.query(`SELECT 1 FROM ${db.names.executions} WHERE id = $1`, [executionId])
        if (!rowCount) throw new Error(`Execution ${executionId} does not exist`)
        return
      }
      // One row per index, the last one given winning: an upsert may touch a row only once.
      const byIndex = new Map<number, string>()
      for (const job of batch) byIndex.set(job.index, jobText(job))
      try {
        await saves.add({ executionId, byIndex })
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
