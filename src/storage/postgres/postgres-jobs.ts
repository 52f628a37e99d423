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
import { StatementBatch } from './statement-batch.js'
import { HELD_BY } from './claim-conditions.js'

interface SaveCall {
  executionId: string
  byIndex: Map<number, string>
  /** Saved only while this owner holds the claim (`WriteConditions.owner`). */
  owner?: string
}

export function postgresJobs(db: Database): JobStore {
  const { jobs, executions } = db.names
  // A held save inserts only while the owner holds the claim. The share lock makes a cancel or a
  // takeover committed meanwhile be seen (the claim check is read again after the wait).
  const held = (id: string, owner: string): string =>
    `WHERE EXISTS (SELECT 1 FROM ${executions} WHERE id = ${id} AND ${HELD_BY(owner)} FOR SHARE)`
  const saveOne = (owner: boolean): string => `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT $1, idx, job::json FROM unnest($2::int[], $3::text[]) AS batch (idx, job)
    ${owner ? held('$1', '$4') : ''}
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job`
  // The saves of one event-loop turn (several runs finishing a node together) in one statement;
  // each call is answered by whether rows of its execution went in.
  const saveMany = (owner: boolean): string => `INSERT INTO ${jobs} (execution_id, idx, job)
    SELECT execution_id, idx, job::json FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS batch (execution_id, idx, job, owner)
    ${owner ? held('batch.execution_id', 'batch.owner') : ''}
    ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job
    RETURNING execution_id`
  const batchOf = (owner: boolean): StatementBatch<SaveCall, boolean> => new StatementBatch<SaveCall, boolean>(
    async ({ executionId, byIndex, owner: by }) => {
      const values = [executionId, [...byIndex.keys()], [...byIndex.values()], ...(owner ? [by] : [])]
      return ((await db.query(saveOne(owner), values)).rowCount ?? 0) > 0
    },
    async (calls) => {
      const ids: string[] = []
      const indexes: number[] = []
      const texts: string[] = []
      const owners: Array<string | null> = []
      for (const { executionId, byIndex, owner: by } of calls) {
        for (const [index, text] of byIndex) {
          ids.push(executionId)
          indexes.push(index)
          texts.push(text)
          owners.push(by ?? null)
        }
      }
      // The same row twice fails the statement (an upsert touches a row once); then each runs alone.
      const { rows } = await db.query<{ execution_id: string }>(saveMany(owner), [ids, indexes, texts, owners])
      const saved = new Set(rows.map((row) => row.execution_id))
      return calls.map((call) => saved.has(call.executionId))
    },
  )
  const saves = { plain: batchOf(false), held: batchOf(true) }

  return {
    async save(executionId: string, batch: readonly JobRecord[], conditions?: Pick<WriteConditions, 'owner'>): Promise<boolean> {
      const owner = conditions?.owner
      if (batch.length === 0) {
        // Still refuses an execution it does not hold, as a batch would.
        const { rowCount } = owner === undefined
          ? await db.query(`SELECT 1 FROM ${executions} WHERE id = $1`, [executionId])
          : await db.query(`SELECT 1 FROM ${executions} WHERE id = $1 AND ${HELD_BY('$2')}`, [executionId, owner])
        if (!rowCount && owner === undefined) throw new Error(`Execution ${executionId} does not exist`)
        return rowCount !== 0 && rowCount !== null
      }
      // One row per index, the last one given winning: an upsert may touch a row only once.
      const byIndex = new Map<number, string>()
      for (const job of batch) byIndex.set(job.index, jobText(job))
      try {
        if (owner === undefined) {
          await saves.plain.add({ executionId, byIndex })
          return true
        }
        return await saves.held.add({ executionId, byIndex, owner })
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
