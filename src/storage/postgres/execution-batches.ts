/**
 * @module
 * The statements that carry several execution writes at once, for `StatementBatch`: new
 * executions without an event key in one multi-row INSERT, claims in one UPDATE whose rows are
 * locked `FOR NO KEY UPDATE SKIP LOCKED`, and patches with the same fields in one UPDATE from
 * `unnest`. Each resolves with one result per call, in order.
 */
import type { ExecutionRecord } from '../../engine/execution.js'
import { nullableJson } from '../../engine/json-text.js'
import type { ClaimOptions, ExecutionPatch } from '../store.js'
import { PATCH_COLUMNS } from '../sql-columns.js'
import { HELD_BY, UNFINISHED } from './claim-conditions.js'
import { CLAIM, CLAIMABLE } from './claim-queries.js'
import type { Database } from './database.js'
import { type ExecutionRow, INSERT_COLUMNS, SELECT_COLUMNS, toRecord } from './execution-row.js'

const JSON_COLUMNS = new Set<string>(['context', 'response', 'error'])

/** Several `insertValues` rows in one INSERT; resolves with whether each was stored. */
export function insertMany(db: Database): (rows: unknown[][]) => Promise<boolean[]> {
  const { executions } = db.names
  return async (rows) => {
    const values: unknown[] = []
    const tuples = rows.map((row) => `(${row.map((value, i) => {
      values.push(value)
      return `$${values.length}${JSON_COLUMNS.has(INSERT_COLUMNS[i]!) ? '::json' : ''}`
    }).join(', ')})`)
    const { rows: stored } = await db.query<{ id: string }>(
      `INSERT INTO ${executions} (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (event_key) DO NOTHING RETURNING id`,
      values,
    )
    const ids = new Set(stored.map((row) => row.id))
    return rows.map((row) => ids.has(row[0] as string))
  }
}

export interface ClaimCall extends ClaimOptions {
  id: string
}

/**
 * Several claims of one owner in one statement, the single claim's with `id = ANY(...)`: the
 * latest `now` of the batch (its calls were made within one loop turn) decides what is due.
 * Claims of other owners or leases, or an id twice, run call by call instead.
 */
export function claimMany(db: Database): (calls: ClaimCall[]) => Promise<Array<ExecutionRecord | undefined>> {
  const { executions } = db.names
  const sql = `UPDATE ${executions}
    ${CLAIM('$1', '$2', '$3')}
    WHERE seq IN (SELECT seq FROM ${executions} WHERE id = ANY($4::text[]) AND ${CLAIMABLE('$1')} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING ${SELECT_COLUMNS}`
  return async (calls) => {
    const [{ owner, leaseMs }] = calls as [ClaimCall]
    if (new Set(calls.map((call) => call.id)).size !== calls.length || calls.some((call) => call.owner !== owner || call.leaseMs !== leaseMs)) {
      throw new NotOneStatement()
    }
    const now = Math.max(...calls.map((call) => call.now))
    const { rows } = await db.query<ExecutionRow>(sql, [now, owner, now + leaseMs, calls.map((call) => call.id)])
    const byId = new Map(rows.map((row) => [row.id, row]))
    return calls.map((call) => {
      const row = byId.get(call.id)
      return row && toRecord(row)
    })
  }
}

export interface UpdateCall {
  id: string
  patch: ExecutionPatch
  /** Applies only while this owner holds the claim (`WriteConditions.owner`). */
  owner?: string | undefined
  /** Applies only while the execution is not final (`WriteConditions.unfinished`). */
  unfinished?: boolean
}

export const PATCH_TYPES: Record<keyof ExecutionPatch, string> = {
  status: 'text', reason: 'text', response: 'text', error: 'text', startedAt: 'bigint', finishedAt: 'bigint', wakeAt: 'bigint',
}

/** The fields a patch sets, in a fixed order: patches with the same key share a statement. */
export const patchFields = (patch: ExecutionPatch): Array<keyof ExecutionPatch> =>
  (Object.keys(PATCH_COLUMNS) as Array<keyof ExecutionPatch>).filter((field) => patch[field] !== undefined)

/**
 * Patches that set the same fields under the same conditions, in one UPDATE; resolves with
 * whether each applied (the row existed and met its conditions).
 */
export function updateMany(db: Database): (calls: UpdateCall[]) => Promise<boolean[]> {
  const { executions } = db.names
  return async (calls) => {
    if (new Set(calls.map((call) => call.id)).size !== calls.length) throw new NotOneStatement()
    const [first] = calls as [UpdateCall]
    const fields = patchFields(first.patch)
    const values: unknown[] = [calls.map((call) => call.id)]
    for (const field of fields) {
      const json = field === 'response' || field === 'error'
      values.push(calls.map((call) => (json ? nullableJson(call.patch[field]) : call.patch[field])))
    }
    const names = fields.map((field) => `p_${PATCH_COLUMNS[field]}`)
    const columns = fields.map((field, i) => `, $${i + 2}::${PATCH_TYPES[field]}[]`)
    let where = 'id = p_id'
    if (first.owner !== undefined) {
      values.push(calls.map((call) => call.owner))
      columns.push(`, $${values.length}::text[]`)
      names.push('p_owner')
      where += ` AND ${HELD_BY('p_owner')}`
    }
    if (first.unfinished) where += ` AND ${UNFINISHED}`
    const sets = fields.map((field, i) => `${PATCH_COLUMNS[field]} = ${names[i]}${field === 'response' || field === 'error' ? '::json' : ''}`)
    const { rows } = await db.query<{ id: string }>(
      `UPDATE ${executions} SET ${sets.join(', ')}
       FROM unnest($1::text[]${columns.join('')}) AS p (p_id${names.map((n) => `, ${n}`).join('')})
       WHERE ${where} RETURNING id`,
      values,
    )
    const found = new Set(rows.map((row) => row.id))
    return calls.map((call) => found.has(call.id))
  }
}

/**
 * A batch one statement cannot carry (an id twice: a statement touches its row once), so it runs
 * call by call instead. Carries a SQLSTATE-like code so `StatementBatch` treats it as refused.
 */
export class NotOneStatement extends Error {
  readonly code = '21000'
  constructor() {
    super('This batch cannot be one statement')
  }
}
