/**
 * @module
 * What the Postgres store throws when the database fails it: the schema is missing, older or
 * newer than this hookflow knows, or belongs to something else; a query failed; the store was
 * closed. The driver's error is the `cause` (its SQLSTATE stays readable as `cause.code`).
 */
import { HookflowError } from '../../errors/hookflow-error.js'

/**
 * Why a Postgres store failed: a missing, outdated, newer or conflicting schema, a failed query, or a closed store.
 *
 * @example
 * ```ts
 * import type { PostgresStoreErrorCode } from 'hookflow/postgres'
 *
 * const code: PostgresStoreErrorCode = 'postgres_schema_missing' // run `await store.migrate()`
 * ```
 */
export type PostgresStoreErrorCode =
  /** No hookflow tables in the schema: run `await store.migrate()`. */
  | 'postgres_schema_missing'
  /** The schema is older than this hookflow: run `await store.migrate()`. */
  | 'postgres_schema_outdated'
  /** The schema was migrated by a newer hookflow: upgrade this one. */
  | 'postgres_schema_newer'
  /** Tables with hookflow's names exist that hookflow did not create. */
  | 'postgres_schema_conflict'
  | 'postgres_query_failed'
  | 'postgres_closed'

/**
 * A Postgres store failure (answered 503 with `Retry-After`): its schema, server and the driver's error as `cause`.
 *
 * @example
 * ```ts
 * import { PostgresStoreError, createPostgresStore } from 'hookflow/postgres'
 *
 * const store = createPostgresStore({ connectionString: 'postgres://app@db/app' })
 * try {
 *   await store.executions.list({ limit: 10 })
 * } catch (error) {
 *   if (error instanceof PostgresStoreError && error.code === 'postgres_schema_missing') console.error('run store.migrate() first')
 * }
 * ```
 */
export class PostgresStoreError extends HookflowError {
  /** Which failure: the schema's state, a query, or use after `close()`. */
  declare readonly code: PostgresStoreErrorCode
  /** The Postgres schema the store works in. */
  readonly schema: string
  /** The server (`host:port/database`), when known; never a user or password. */
  readonly server: string | undefined

  constructor(code: PostgresStoreErrorCode, schema: string, message: string, cause?: unknown, server?: string) {
    super(code, message, { status: 503, cause, headers: { 'retry-after': '5' } })
    this.name = 'PostgresStoreError'
    this.schema = schema
    this.server = server
  }
}

/** The SQLSTATE of a driver error, when it has one (`23505` for a unique violation). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** A driver error's message, or its code when it has none (a refused connection to several addresses). */
export function driverMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  const inner = (error as { errors?: unknown[] }).errors?.[0]
  return error.message || (inner instanceof Error ? inner.message : '') || (typeof code === 'string' ? code : 'failed')
}
