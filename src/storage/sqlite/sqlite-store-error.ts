/**
 * @module
 * What the SQLite store throws when the database itself fails: it cannot be opened (corrupted,
 * locked, not a database, a newer schema), a write could not be committed, or the store was
 * closed. The SQLite error is the `cause`; the message names the file.
 */
import { HookflowError } from '../../errors/hookflow-error.js'

/**
 * Why a SQLite store failed: the file would not open, a write failed, or the store was closed.
 *
 * @example
 * ```ts
 * import type { SqliteStoreErrorCode } from 'hookflow/sqlite'
 *
 * const code: SqliteStoreErrorCode = 'sqlite_write_failed'
 * ```
 */
export type SqliteStoreErrorCode = 'sqlite_open_failed' | 'sqlite_write_failed' | 'sqlite_closed'

/**
 * A SQLite store failure (answered 503 with `Retry-After`): the file it is about, and SQLite's error as `cause`.
 *
 * @example
 * ```ts
 * import { SqliteStoreError, createSqliteStore } from 'hookflow/sqlite'
 *
 * try {
 *   createSqliteStore({ filename: '/no/such/folder/hookflow.db' })
 * } catch (error) {
 *   if (error instanceof SqliteStoreError) console.error(error.code, error.filename, error.cause)
 * }
 * ```
 */
export class SqliteStoreError extends HookflowError {
  /** Which failure: opening the file, a write, or use after `close()`. */
  declare readonly code: SqliteStoreErrorCode
  /** The database file the error is about. */
  readonly filename: string

  constructor(code: SqliteStoreErrorCode, filename: string, message: string, cause?: unknown) {
    super(code, message, { status: 503, cause, headers: { 'retry-after': '5' } })
    this.name = 'SqliteStoreError'
    this.filename = filename
  }
}

// SQLite's own words are terse ("file is not a database"); say what it means for this store.
const EXPLANATIONS: Record<string, string> = {
  SQLITE_NOTADB: 'the file is not a SQLite database, or its header is corrupted',
  SQLITE_CORRUPT: 'the database file is corrupted',
  SQLITE_BUSY: 'the database is locked by another connection or process',
  SQLITE_LOCKED: 'the database is locked by another connection',
  SQLITE_CANTOPEN: 'the file cannot be opened (does its folder exist, and may this process write there?)',
  SQLITE_READONLY: 'the database is read-only for this process',
  SQLITE_PERM: 'this process may not open the file',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'the disk reported an I/O error',
}

/** A sentence about `error` for a message: what it means, then SQLite's own words. */
export function explainSqliteError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return message
  // Extended codes (SQLITE_IOERR_SHORT_READ) explain as their primary code.
  const primary = Object.keys(EXPLANATIONS).find((key) => code === key || code.startsWith(`${key}_`))
  const explanation = primary && EXPLANATIONS[primary]
  return explanation ? `${explanation} (${code}: ${message})` : `${code}: ${message}`
}
