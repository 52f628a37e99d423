/**
 * @module
 * `executions` on Postgres. Unique event keys are the database's (`ON CONFLICT (event_key) DO
 * NOTHING`); a key whose window passed is taken over in a transaction that locks its holder,
 * so of any number of parallel creates exactly one wins. Claims lock the row with
 * `FOR NO KEY UPDATE SKIP LOCKED`: a worker never waits on a row another worker is claiming
 * (the weaker lock does not conflict with the key-share locks that job inserts take).
 */
import type { ExecutionRecord, ExecutionStatus, JobRecord } from '../../engine/execution.js'
import type {
  ClaimOptions,
  CountExecutionsQuery,
  CreateResult,
  ExecutionCount,
  ExecutionPatch,
  ExecutionStore,
  ListExecutionsQuery,
  NewExecution,
  PruneOptions,
  ReleaseOptions,
  WriteConditions,
} from '../store.js'
import type { Database } from './database.js'
import { type ExecutionRow, INSERT_COLUMNS, INSERT_PLACEHOLDERS, insertValues, SELECT_COLUMNS, toRecord } from './execution-row.js'
import { nullableJson } from '../../engine/json-text.js'
import { listQuery, pruneQuery } from './list-query.js'
import { PATCH_COLUMNS } from '../sql-columns.js'
import { StatementBatch } from './statement-batch.js'
import { CLAIM, CLAIMABLE, claimableQuery, claimNextQuery, IN_CLAIM_ORDER } from './claim-queries.js'
import { HELD_BY, UNFINISHED } from './claim-conditions.js'
import { type ClaimCall, claimMany, insertMany, patchFields, type UpdateCall, updateMany } from './execution-batches.js'
import { type FinishCall, finishMany } from './finish-batch.js'

const JSON_FIELDS = new Set<string>(['response', 'error'])

/** How often a create retries when the holder of its key vanished between two statements. */
const MAX_TRIES = 5

export function postgresExecutions(db: Database): ExecutionStore {
  const { executions } = db.names
  const insert = `INSERT INTO ${executions} (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_PLACEHOLDERS})
    ON CONFLICT (event_key) DO NOTHING RETURNING seq`
  const holder = `SELECT ${SELECT_COLUMNS} FROM ${executions} WHERE event_key = $1`
  // Clears the key of a holder whose window passed; its row lock makes parallel creates queue up.
  const release = `UPDATE ${executions} SET event_key = NULL
    WHERE event_key = $1 AND event_key_expires_at IS NOT NULL AND event_key_expires_at <= $2`
  const claim = `UPDATE ${executions}
    ${CLAIM('$1', '$2', '$3')}
    WHERE seq = (SELECT seq FROM ${executions} WHERE id = $4 AND ${CLAIMABLE('$1')} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING ${SELECT_COLUMNS}`

  async function createWithKey(execution: NewExecution, values: unknown[]): Promise<CreateResult> {
    const created: CreateResult = { created: true, execution: { ...execution, jobs: [] } }
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const { rows } = await db.query<ExecutionRow>(holder, [execution.eventKey])
      const current = rows[0]
      const expires = current?.event_key_expires_at
      if (current && (expires === null || expires === undefined || Number(expires) > execution.createdAt)) {
        return { created: false, execution: toRecord(current) }
      }
      // No holder any more, or one whose window passed: take the key over atomically.
      const outcome = await db.transaction(async (query): Promise<CreateResult | undefined> => {
        await query(release, [execution.eventKey, execution.createdAt])
        if ((await query(insert, values)).rowCount) return created
        const { rows: [winner] } = await query<ExecutionRow>(holder, [execution.eventKey])
        return winner && { created: false, execution: toRecord(winner) }
      })
      if (outcome) return outcome
    }
    throw new Error(`Execution ${execution.id} could not be stored: its event key kept changing hands`)
  }

  // Group commit: the calls of one event-loop turn share a statement (see StatementBatch).
  const inserts = new StatementBatch<unknown[], boolean>(async (values) => Boolean((await db.query(insert, values)).rowCount), insertMany(db))
  const claims = new StatementBatch<ClaimCall, ExecutionRecord | undefined>(async ({ id, owner, leaseMs, now }) => {
    const { rows } = await db.query<ExecutionRow>(claim, [now, owner, now + leaseMs, id])
    return rows[0] && toRecord(rows[0])
  }, claimMany(db))
  // One batch per set of fields patched (a final state, a park, a start).
  const updates = new Map<string, StatementBatch<UpdateCall, boolean>>()
  const updateOne = async ({ id, patch, owner, unfinished }: UpdateCall): Promise<boolean> => {
    const values: unknown[] = [id]
    let where = 'id = $1'
    if (owner !== undefined) {
      values.push(owner)
      where += ` AND ${HELD_BY(`$${values.length}`)}`
    }
    if (unfinished) where += ` AND ${UNFINISHED}`
    const sets = patchFields(patch).map((field) => {
      const json = JSON_FIELDS.has(field)
      values.push(json ? nullableJson(patch[field]) : patch[field])
      return `${PATCH_COLUMNS[field]} = $${values.length}${json ? '::json' : ''}`
    })
    const sql = sets.length === 0
      ? `SELECT 1 FROM ${executions} WHERE ${where}`
      : `UPDATE ${executions} SET ${sets.join(', ')} WHERE ${where}`
    return Boolean((await db.query(sql, values)).rowCount)
  }

  // One batch per set of fields patched (an end, a park): a run's last jobs and state in one statement.
  const finishes = new Map<string, StatementBatch<FinishCall, boolean>>()
  const finishAll = finishMany(db)
  const finishOne = async (call: FinishCall): Promise<boolean> => (await finishAll([call]))[0]!

  return {
    async create(execution: NewExecution, claimOptions?: ClaimOptions): Promise<CreateResult> {
      const values = insertValues(execution, claimOptions)
      // The common case, a new key or none, is one statement (shared with the turn's other
      // keyless creates); a key that is taken goes the careful way.
      if (execution.eventKey === null && (await inserts.add(values))) return { created: true, execution: { ...execution, jobs: [] } }
      if (execution.eventKey !== null && (await db.query(insert, values)).rowCount) return { created: true, execution: { ...execution, jobs: [] } }
      return createWithKey(execution, values)
    },

    async get(id: string): Promise<ExecutionRecord | undefined> {
      const { rows } = await db.query<ExecutionRow>(`SELECT ${SELECT_COLUMNS} FROM ${executions} WHERE id = $1`, [id])
      return rows[0] && toRecord(rows[0])
    },

    async update(id: string, patch: ExecutionPatch, conditions?: WriteConditions): Promise<boolean> {
      const call: UpdateCall = { id, patch, owner: conditions?.owner, unfinished: conditions?.unfinished === true }
      // One batch per set of fields patched and per condition: their calls share a statement.
      const key = `${call.owner === undefined ? '' : 'owner'}${call.unfinished ? 'unfinished' : ''}:${patchFields(patch).join()}`
      let batch = updates.get(key)
      if (!batch) updates.set(key, (batch = new StatementBatch(updateOne, key.endsWith(':') ? (calls) => Promise.all(calls.map(updateOne)) : updateMany(db))))
      if (await batch.add(call)) return true
      if (conditions?.owner !== undefined || conditions?.unfinished) return false
      throw new Error(`Execution ${id} does not exist`)
    },

    async finish(id: string, patch: ExecutionPatch, jobs: readonly JobRecord[], conditions: Required<Pick<WriteConditions, 'owner'>>): Promise<boolean> {
      const key = patchFields(patch).join()
      if (key === '') throw new TypeError('executions.finish needs a patch that sets a field')
      let batch = finishes.get(key)
      if (!batch) finishes.set(key, (batch = new StatementBatch(finishOne, finishAll)))
      return batch.add({ id, patch, jobs, owner: conditions.owner })
    },

    claim(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<ExecutionRecord | undefined> {
      return claims.add({ id, owner, leaseMs, now })
    },

    async claimNext(options: ClaimOptions & { limit: number }): Promise<ExecutionRecord[]> {
      const { rows } = await db.queryWith<ExecutionRow & { seq: string }>(IN_CLAIM_ORDER, claimNextQuery(executions, options))
      return rows.sort((a, b) => Number(a.created_at) - Number(b.created_at) || Number(a.seq) - Number(b.seq)).map(toRecord)
    },

    async renew(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE ${executions} SET lease_until = $1 WHERE id = $2 AND owner = $3 AND status = 'started'`,
        [now + leaseMs, id, owner],
      )
      return (rowCount ?? 0) > 0
    },

    async release(id: string, { owner, wakeAt }: ReleaseOptions): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE ${executions} SET status = 'queued', owner = NULL, lease_until = 0, wake_at = $1 WHERE id = $2 AND owner = $3 AND status = 'started'`,
        [wakeAt ?? null, id, owner],
      )
      return (rowCount ?? 0) > 0
    },

    async claimOwners({ now }: { now: number }): Promise<string[]> {
      const { rows } = await db.query<{ owner: string }>(
        `SELECT DISTINCT owner FROM ${executions} WHERE status = 'started' AND owner IS NOT NULL AND lease_until > $1`,
        [now],
      )
      return rows.map((row) => row.owner)
    },

    async releaseOwner(owner: string): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE ${executions} SET status = 'queued', owner = NULL, lease_until = 0, wake_at = NULL WHERE status = 'started' AND owner = $1 RETURNING id`,
        [owner],
      )
      return rows.map((row) => row.id)
    },

    async claimable({ now, limit }: { now: number; limit: number }): Promise<string[]> {
      const { rows } = await db.queryWith<{ id: string }>(IN_CLAIM_ORDER, claimableQuery(executions, { now, limit }))
      return rows.map((row) => row.id)
    },

    async list(query: ListExecutionsQuery): Promise<ExecutionRecord[]> {
      const { sql, values } = listQuery(db.names, query)
      const { rows } = await db.query<ExecutionRow>(sql, values)
      return rows.map(toRecord)
    },

    async count({ since }: CountExecutionsQuery): Promise<ExecutionCount[]> {
      const { rows } = await db.query<{ workflow_key: string; status: ExecutionStatus; count: string }>(
        `SELECT workflow_key, status, count(*) AS count FROM ${executions}
         ${since === undefined ? '' : 'WHERE created_at >= $1'} GROUP BY workflow_key, status`,
        since === undefined ? [] : [since],
      )
      return rows.map((row) => ({ workflowKey: row.workflow_key, status: row.status, count: Number(row.count) }))
    },

    async delete(id: string): Promise<boolean> {
      const { rowCount } = await db.query(`DELETE FROM ${executions} WHERE id = $1`, [id])
      return (rowCount ?? 0) > 0
    },

    async prune(options: PruneOptions): Promise<number> {
      const built = pruneQuery(db.names, options)
      if (!built) return 0
      return (await db.query(built.sql, built.values)).rowCount ?? 0
    },
  }
}
