/**
 * @module
 * Opens the store a command works on, from `--db file` (SQLite) or `--pg URL` (Postgres), and
 * loads its optional peer (`better-sqlite3`, `pg`) only then, naming the install command when
 * it is missing.
 *
 * ```ts
 * const { store, label } = await openStore({ db: 'hookflow.db' }, { cwd, mustExist: true })
 * ```
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { Store } from '../../storage/store.js'
import type { PostgresStore } from '../../storage/postgres/index.js'

export interface StoreChoice {
  db?: string
  pg?: string
  schema?: string
  tablePrefix?: string
}

export interface OpenedStore {
  store: Store
  /** `SQLite hookflow.db`, `Postgres schema hookflow`: what the output names. */
  label: string
  kind: 'sqlite' | 'postgres'
}

function missingPeer(error: unknown, name: string): boolean {
  const code = (error as { code?: string }).code
  // The store loads its peer when it is created (`peer_dependency_missing`); a bare import fails as module-not-found.
  if (code === 'peer_dependency_missing') return oneLine(error).includes(`"${name}"`)
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && oneLine(error).includes(`'${name}'`)
}

export async function openSqlite(file: string, cwd: string, mustExist: boolean): Promise<OpenedStore> {
  const filename = resolve(cwd, file)
  if (mustExist && !existsSync(filename)) throw new CliFailure(`no SQLite database at ${file} (give --db <file> or --pg <url>)`)
  let sqlite: typeof import('../../storage/sqlite/index.js')
  try {
    sqlite = await import('../../storage/sqlite/index.js')
  } catch (error) {
    if (missingPeer(error, 'better-sqlite3')) throw new CliFailure('SQLite needs the better-sqlite3 package: npm install better-sqlite3@12')
    throw error
  }
  try {
    return { store: sqlite.createSqliteStore({ filename }), label: `SQLite ${file}`, kind: 'sqlite' }
  } catch (error) {
    if (missingPeer(error, 'better-sqlite3')) throw new CliFailure('SQLite needs the better-sqlite3 package: npm install better-sqlite3@12', { cause: error })
    throw new CliFailure(oneLine(error), { cause: error })
  }
}

export async function openPostgres(choice: StoreChoice & { pg: string }): Promise<OpenedStore & { store: PostgresStore }> {
  let postgres: typeof import('../../storage/postgres/index.js')
  try {
    postgres = await import('../../storage/postgres/index.js')
  } catch (error) {
    if (missingPeer(error, 'pg')) throw new CliFailure('Postgres needs the pg package: npm install pg@8')
    throw error
  }
  try {
    const store = postgres.createPostgresStore(
      { connectionString: choice.pg, max: 4 },
      { schema: choice.schema, tablePrefix: choice.tablePrefix, onError: () => undefined },
    )
    return { store, label: `Postgres schema ${store.schema}`, kind: 'postgres' }
  } catch (error) {
    throw new UsageError(oneLine(error))
  }
}

/** `--db` or `--pg` (not both); neither means `hookflow.db` in the current folder, as `dev` writes it. */
export async function openStore(choice: StoreChoice, options: { cwd: string }): Promise<OpenedStore> {
  if (choice.db !== undefined && choice.pg !== undefined) throw new UsageError('give --db or --pg, not both')
  if ((choice.schema !== undefined || choice.tablePrefix !== undefined) && choice.pg === undefined) {
    throw new UsageError('--schema and --table-prefix go with --pg')
  }
  if (choice.pg !== undefined) return openPostgres({ ...choice, pg: choice.pg })
  return openSqlite(choice.db ?? 'hookflow.db', options.cwd, true)
}
