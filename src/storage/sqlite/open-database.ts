/**
 * @module
 * Opens the SQLite file for the store: WAL, the chosen `synchronous` level, a busy timeout, the
 * schema migrated. Every failure becomes a `SqliteStoreError` that names the file and the cause,
 * so a corrupted or locked database stops the start, never turns into an empty store.
 */
import type Database from 'better-sqlite3'
import { loadPeer } from '../../peers/load-peer.js'
import { migrate } from './schema.js'
import { explainSqliteError, SqliteStoreError } from './sqlite-store-error.js'

export interface OpenOptions {
  synchronous: 'normal' | 'full'
  busyTimeoutMs: number
  integrityCheck: boolean
}

const IN_MEMORY = new Set([':memory:', ''])

export function openDatabase(filename: string, options: OpenOptions): Database.Database {
  const Sqlite = loadPeer<typeof Database>('better-sqlite3', 'better-sqlite3@12', 'createSqliteStore (hookflow/sqlite)')
  let db: Database.Database | undefined
  try {
    db = new Sqlite(filename, { timeout: options.busyTimeoutMs })
    // Reading the journal mode is the first read of the file: a file that is not a database
    // (or whose header is damaged) fails here.
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal' && !IN_MEMORY.has(filename)) throw new Error(`the file could not be switched to WAL mode (it stays in "${String(mode)}" mode)`)
    db.pragma(`synchronous = ${options.synchronous.toUpperCase()}`)
    // Checkpoints (which fsync even at NORMAL) every ~40 MB of WAL instead of SQLite's ~4 MB:
    // a busy store rewrites the same hot pages, and each checkpoint copies a page only once.
    db.pragma('wal_autocheckpoint = 10000')
    if (options.integrityCheck) {
      const problems = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>
      if (problems[0]?.quick_check !== 'ok') {
        throw new Error(`the integrity check failed: ${problems.slice(0, 5).map((row) => row.quick_check).join('; ')}`)
      }
    }
    // An immediate transaction: a file another process holds locked fails here, after the
    // busy timeout, rather than at the first delivery.
    migrate(db)
    return db
  } catch (error) {
    db?.close()
    throw new SqliteStoreError('sqlite_open_failed', filename, `The SQLite database "${filename}" could not be opened: ${explainSqliteError(error)}`, error)
  }
}
