/**
 * @module
 * The pool the Postgres store makes from `{ connectionString }`: every call has a deadline.
 * A connection is made or handed out within `connectTimeoutMs`; Postgres cancels a statement
 * after `statementTimeoutMs` and the store stops waiting for an answer a second later (a server
 * that accepts and never answers); a session left idle inside a transaction is ended by Postgres
 * after `idleInTransactionTimeoutMs`, releasing its locks. TCP keep-alive finds dead idle
 * connections. `end()` never waits longer than it is given: connections that do not close in
 * time (a server gone silent) are destroyed.
 */
import type pg from 'pg'
import type { Pool, PoolClient } from 'pg'
import { loadPeer } from '../../peers/load-peer.js'

export interface OwnPoolOptions {
  connectionString: string
  /** Connections in the pool. Default 10. */
  max?: number
  /** The longest wait for a connection, new or from a busy pool; then the call fails. Default 5,000 ms. */
  connectTimeoutMs?: number
  /**
   * Postgres cancels a statement that runs longer (`statement_timeout`); the store stops waiting
   * for an answer one second after it. Default 10,000 ms; 0 turns both off.
   */
  statementTimeoutMs?: number
  /** Postgres ends a session idle inside a transaction this long (`idle_in_transaction_session_timeout`). Default 10,000 ms; 0 turns it off. */
  idleInTransactionTimeoutMs?: number
}

export const POOL_DEFAULTS = { max: 10, connectTimeoutMs: 5000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 10_000 } as const

function integer(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) throw new TypeError(`${name} must be an integer >= ${min}, got ${String(value)}`)
  return value
}

export interface OwnPool {
  pool: Pool
  /** Ends the pool; connections still open after `ms` are destroyed. Resolves true when it closed in time. */
  end(ms: number): Promise<boolean>
}

export function createOwnPool(options: OwnPoolOptions): OwnPool {
  const max = integer('max', options.max ?? POOL_DEFAULTS.max, 1)
  const connectTimeoutMs = integer('connectTimeoutMs', options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs, 1)
  const statementTimeoutMs = integer('statementTimeoutMs', options.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs, 0)
  const idleMs = integer('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs ?? POOL_DEFAULTS.idleInTransactionTimeoutMs, 0)
  const { Pool: PgPool } = loadPeer<typeof pg>('pg', 'pg@8', 'createPostgresStore (hookflow/postgres)')
  const pool = new PgPool({
    connectionString: options.connectionString,
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1000 } : {}),
    ...(idleMs > 0 ? { idle_in_transaction_session_timeout: idleMs } : {}),
  })
  // Every connection the pool made, so that `end` can destroy those a silent server keeps open.
  const clients = new Set<PoolClient>()
  pool.on('connect', (client) => void clients.add(client))
  pool.on('remove', (client) => void clients.delete(client))
  let ended: Promise<void> | undefined

  return {
    pool,
    async end(ms: number): Promise<boolean> {
      ended ??= pool.end()
      let timer: ReturnType<typeof setTimeout> | undefined
      const inTime = await Promise.race([
        ended.then(() => true, () => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
      ])
      clearTimeout(timer)
      if (!inTime) {
        for (const client of clients) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
        clients.clear()
      }
      return inTime
    },
  }
}

/** `host:port/database` of a pool, for messages (never its user or password). */
export function serverName(pool: Pool): string {
  const options = (pool as unknown as { options?: pg.PoolConfig }).options ?? {}
  let host = options.host
  let port = options.port
  let database = options.database
  if (options.connectionString) {
    try {
      const url = new URL(options.connectionString)
      host ??= decodeURIComponent(url.hostname) || url.searchParams.get('host') || undefined
      port ??= url.port ? Number(url.port) : undefined
      database ??= decodeURIComponent(url.pathname.slice(1)) || undefined
    } catch {
      // Not a URL (a key=value string): the message names the schema only.
    }
  }
  return `${host ?? 'localhost'}:${port ?? 5432}${database ? `/${database}` : ''}`
}
