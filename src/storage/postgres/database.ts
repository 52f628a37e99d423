/**
 * @module
 * The store's access to Postgres: every query goes through here, so each failure becomes a
 * `PostgresStoreError` naming the schema (the driver's error is the `cause`), a closed store
 * refuses at once, and the schema is checked once before the first query.
 */
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg'
import { checkSchema, migrate } from './migrations.js'
import type { PostgresNames } from './names.js'
import { PostgresStoreError } from './postgres-store-error.js'

type Queryable = Pick<PoolClient, 'query'>

export class Database {
  readonly names: PostgresNames
  readonly #pool: Pool
  #ready: Promise<void> | undefined
  #closed = false

  constructor(pool: Pool, names: PostgresNames) {
    this.#pool = pool
    this.names = names
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Runs one statement on any pooled connection. */
  async query<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    await this.ready()
    return this.#run(this.#pool, sql, values)
  }

  /** Runs `work` in a transaction on one connection; commits if it resolves, rolls back if not. */
  async transaction<T>(work: (query: Database['query']) => Promise<T>): Promise<T> {
    await this.ready()
    let client: PoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw this.#failure(error)
    }
    let broken = false
    try {
      await this.#run(client, 'BEGIN')
      const result = await work((sql, values) => this.#run(client, sql, values))
      await this.#run(client, 'COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true))
      throw error
    } finally {
      client.release(broken)
    }
  }

  /** Checks the schema before the first query; a failed check is tried again next time. */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError())
    this.#ready ??= checkSchema(this.#pool, this.names).catch((error: unknown) => {
      this.#ready = undefined
      throw PostgresStoreError.is(error) ? error : this.#failure(error)
    })
    return this.#ready
  }

  async migrate(): Promise<number[]> {
    if (this.#closed) throw this.#closedError()
    const applied = await migrate(this.#pool, this.names)
    this.#ready = Promise.resolve()
    return applied
  }

  close(): void {
    this.#closed = true
  }

  async #run<R extends QueryResultRow>(on: Queryable, sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await on.query<R>(sql, values)
    } catch (error) {
      throw this.#failure(error)
    }
  }

  #failure(error: unknown): PostgresStoreError {
    if (this.#closed) return this.#closedError()
    const message = error instanceof Error ? error.message : String(error)
    return new PostgresStoreError('postgres_query_failed', this.names.schema, `A query on the Postgres store (schema "${this.names.schema}") failed: ${message}`, error)
  }

  #closedError(): PostgresStoreError {
    return new PostgresStoreError('postgres_closed', this.names.schema, `The Postgres store (schema "${this.names.schema}") is closed`)
  }
}
