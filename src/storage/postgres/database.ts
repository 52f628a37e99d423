/**
 * @module
 * The store's access to Postgres: every query goes through here, so each failure becomes a
 * `PostgresStoreError` naming the schema (the driver's error is the `cause`), a closed store
 * refuses at once, and the schema is checked once before the first query.
 */
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg'
import { checkSchema, migrate } from './migrations.js'
import type { PostgresNames } from './names.js'
import { driverMessage, PostgresStoreError } from './postgres-store-error.js'

type Queryable = Pick<PoolClient, 'query'>

export class Database {
  readonly names: PostgresNames
  /** `host:port/database`, for messages. */
  readonly server: string
  readonly #pool: Pool
  readonly #answered: () => void
  #ready: Promise<void> | undefined
  #closed = false

  constructor(pool: Pool, names: PostgresNames, server: string, answered: () => void = () => undefined) {
    this.#pool = pool
    this.names = names
    this.server = server
    this.#answered = answered
  }

  /** How messages name this store: its server and schema. */
  get where(): string {
    return `Postgres at ${this.server}, schema "${this.names.schema}"`
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Runs one statement on any pooled connection. */
  async query<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    await this.ready()
    return this.#run(this.#pool, sql, values)
  }

  /**
   * Runs one statement with planner settings of its own (`SET LOCAL`), in one round trip: sent
   * as one simple query, so `sql` carries its values as literals (see sql-literal).
   */
  async queryWith<R extends QueryResultRow>(settings: Readonly<Record<string, 'on' | 'off'>>, sql: string): Promise<QueryResult<R>> {
    const sets = Object.entries(settings).map(([name, value]) => `SET LOCAL ${name} = ${value}; `)
    // Several statements answer with one result each (one alone, with its result): the statement's is the last.
    const results = (await this.query(`${sets.join('')}${sql}`)) as unknown as QueryResult<R> | Array<QueryResult<R>>
    return Array.isArray(results) ? results[results.length - 1]! : results
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
    this.#answered()
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
    this.#ready ??= checkSchema(this.#pool, this.names, this.server).catch((error: unknown) => {
      this.#ready = undefined
      throw PostgresStoreError.is(error) ? error : this.#failure(error, 'The schema of')
    })
    return this.#ready
  }

  async migrate(): Promise<number[]> {
    if (this.#closed) throw this.#closedError()
    const applied = await migrate(this.#pool, this.names, this.server)
    this.#ready = Promise.resolve()
    return applied
  }

  close(): void {
    this.#closed = true
  }

  async #run<R extends QueryResultRow>(on: Queryable, sql: string, values?: unknown[]): Promise<QueryResult<R>> {
    let result: QueryResult<R>
    try {
      result = await on.query<R>(sql, values)
    } catch (error) {
      throw this.#failure(error)
    }
    this.#answered()
    return result
  }

  #failure(error: unknown, what = 'A query on'): PostgresStoreError {
    if (this.#closed) return this.#closedError()
    return new PostgresStoreError('postgres_query_failed', this.names.schema, `${what} the store (${this.where}) failed: ${driverMessage(error)}`, error, this.server)
  }

  #closedError(): PostgresStoreError {
    return new PostgresStoreError('postgres_closed', this.names.schema, `The store (${this.where}) is closed`, undefined, this.server)
  }
}
