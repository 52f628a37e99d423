/**
 * @module
 * The column each patchable execution field lives in, shared by the SQL stores (SQLite,
 * Postgres).
 *
 * ```ts
 * PATCH_COLUMNS.startedAt // 'started_at'
 * ```
 */
import type { ExecutionPatch } from './store.js'

/** Patch fields and their columns; `response` and `error` are JSON, written as text. */
export const PATCH_COLUMNS = {
  status: 'status',
  reason: 'reason',
  response: 'response',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  wakeAt: 'wake_at',
} as const satisfies Record<keyof ExecutionPatch, string>
