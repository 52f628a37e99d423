/**
 * @module
 * A run's last write on Postgres (`executions.finish`): its last jobs and its new state in one
 * statement, both conditioned on the claim. The UPDATE of the executions applies only where the
 * owner still holds the claim (re-checked on the newest row version after any wait), and the
 * jobs go in only for the executions it updated, so a run whose claim was lost (canceled, taken
 * over) stores neither. The runs of one event-loop turn share the statement (see StatementBatch).
 */
import type { JobRecord } from '../../engine/execution.js'
import { nullableJson } from '../../engine/json-text.js'
import type { ExecutionPatch } from '../store.js'
import { PATCH_COLUMNS } from '../sql-columns.js'
import { jobText } from '../job-text.js'
import { HELD_BY } from './claim-conditions.js'
import type { Database } from './database.js'
import { NotOneStatement, PATCH_TYPES, patchFields } from './execution-batches.js'

export interface FinishCall {
  id: string
  patch: ExecutionPatch
  jobs: readonly JobRecord[]
  owner: string
}

/** Finishes with the same patched fields in one statement; resolves with whether each applied. */
export function finishMany(db: Database): (calls: FinishCall[]) => Promise<boolean[]> {
  const { executions, jobs } = db.names
  return async (calls) => {
    if (new Set(calls.map((call) => call.id)).size !== calls.length) throw new NotOneStatement()
    const [first] = calls as [FinishCall]
    const fields = patchFields(first.patch)
    const values: unknown[] = [calls.map((call) => call.id), calls.map((call) => call.owner)]
    for (const field of fields) {
      const json = field === 'response' || field === 'error'
      values.push(calls.map((call) => (json ? nullableJson(call.patch[field]) : call.patch[field])))
    }
    const names = fields.map((field) => `p_${PATCH_COLUMNS[field]}`)
    const columns = fields.map((field, i) => `, $${i + 3}::${PATCH_TYPES[field]}[]`)
    const sets = fields.map((field, i) => `${PATCH_COLUMNS[field]} = ${names[i]}${field === 'response' || field === 'error' ? '::json' : ''}`)
    // One row per execution and index, the last one given winning: an upsert touches a row once.
    const rows = new Map<string, [string, number, string]>()
    for (const call of calls) for (const job of call.jobs) rows.set(`${job.index}:${call.id}`, [call.id, job.index, jobText(job)])
    const ids: string[] = []
    const indexes: number[] = []
    const texts: string[] = []
    for (const [id, index, text] of rows.values()) {
      ids.push(id)
      indexes.push(index)
      texts.push(text)
    }
    const at = values.length
    values.push(ids, indexes, texts)
    const { rows: done } = await db.query<{ id: string }>(
      `WITH done AS (
         UPDATE ${executions} SET ${sets.join(', ')}
         FROM unnest($1::text[], $2::text[]${columns.join('')}) AS p (p_id, p_owner${names.map((n) => `, ${n}`).join('')})
         WHERE id = p_id AND ${HELD_BY('p_owner')} RETURNING id
       ), saved AS (
         INSERT INTO ${jobs} (execution_id, idx, job)
         SELECT execution_id, idx, job::json FROM unnest($${at + 1}::text[], $${at + 2}::int[], $${at + 3}::text[]) AS batch (execution_id, idx, job)
         WHERE execution_id IN (SELECT id FROM done)
         ON CONFLICT (execution_id, idx) DO UPDATE SET job = excluded.job
       )
       SELECT id FROM done`,
      values,
    )
    const found = new Set(done.map((row) => row.id))
    return calls.map((call) => found.has(call.id))
  }
}
