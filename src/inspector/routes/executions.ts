/**
 * @module
 * `GET api/executions` (a page of summaries, newest first, continued by `nextCursor`) and
 * `GET api/executions/<id>` (the whole record: context, response, error and jobs).
 *
 * ```ts
 * // GET /hookflow/api/executions?workflow=orders&status=failed&limit=50
 * // { items: [{ id, workflowKey, status, createdAt, ... }], nextCursor: 'exec-id' | null }
 * ```
 */
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../engine/execution.js'
import type { ListExecutionsOptions } from '../../engine/engine.js'
import { badRequest, executionNotFound, json } from '../answers.js'
import { executionSummary } from '../execution-summary.js'
import type { InspectorContext } from '../inspector-context.js'

export const DEFAULT_PAGE = 50
export const LARGEST_PAGE = 200

export async function listExecutions({ engine }: InspectorContext, request: Request): Promise<Response> {
  const query = listQuery(new URL(request.url).searchParams)
  let records
  try {
    // One more than the page: whether it exists says whether there is a next page.
    records = await engine.listExecutions({ ...query, limit: query.limit + 1 })
  } catch (error) {
    // Only the cursor can still be wrong here: it names no stored execution.
    if (error instanceof TypeError) throw badRequest('bad_cursor', error.message)
    throw error
  }
  const items = records.slice(0, query.limit).map(executionSummary)
  const nextCursor = records.length > query.limit ? items[items.length - 1]!.id : null
  return json({ items, nextCursor })
}

export async function getExecution({ engine }: InspectorContext, id: string): Promise<Response> {
  const execution = await engine.getExecution(id)
  if (!execution) throw executionNotFound(id)
  return json(execution)
}

function listQuery(params: URLSearchParams): ListExecutionsOptions & { limit: number } {
  const query: ListExecutionsOptions & { limit: number } = { limit: DEFAULT_PAGE }
  const workflow = params.get('workflow')
  if (workflow) query.workflowKey = workflow
  const status = params.get('status')
  if (status) query.status = statuses(status)
  const since = params.get('since')
  if (since) query.since = time(since)
  const cursor = params.get('cursor')
  if (cursor) query.cursor = cursor
  const limit = params.get('limit')
  if (limit) {
    const value = Number(limit)
    if (!Number.isInteger(value) || value < 1 || value > LARGEST_PAGE) {
      throw badRequest('bad_query', `limit must be an integer from 1 to ${LARGEST_PAGE}, got "${limit}"`)
    }
    query.limit = value
  }
  return query
}

function statuses(text: string): ExecutionStatus[] {
  const list = text.split(',').map((part) => part.trim()).filter(Boolean)
  for (const status of list) {
    if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw badRequest('bad_query', `Unknown status "${status}"; use one or more of ${EXECUTION_STATUSES.join(', ')}, comma-separated`)
    }
  }
  return list as ExecutionStatus[]
}

/** Epoch milliseconds, or a date the `Date` parser reads (ISO 8601). */
function time(text: string): number {
  const value = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(value)) throw badRequest('bad_query', `since must be epoch milliseconds or an ISO 8601 date, got "${text}"`)
  return value
}
