/**
 * @module
 * The SQLite schema and its migrations, tracked in `PRAGMA user_version`: migration N takes a
 * database from version N - 1 to N. Only ever append a migration; never change a shipped one.
 */
import type Database from 'better-sqlite3'

const MIGRATIONS: readonly string[] = [
  // 1: executions and jobs.
  `
  CREATE TABLE executions (
    -- Insertion order: breaks createdAt ties in lists, and is never reused (AUTOINCREMENT).
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    workflow_key TEXT NOT NULL,
    event_key TEXT UNIQUE,
    sync INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    context TEXT NOT NULL,
    response TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX executions_created ON executions (created_at, seq);
  CREATE INDEX executions_workflow ON executions (workflow_key, created_at, seq);
  -- Small: only what a worker may still claim. Finished executions leave it.
  CREATE INDEX executions_pending ON executions (created_at, seq) WHERE status IN ('queued', 'started');
  -- Keyed by the execution's seq, not its random id: a new execution's jobs go at the end
  -- of the tree, so a busy store writes a few pages per commit, not one per job.
  CREATE TABLE jobs (
    execution_seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (execution_seq, idx)
  ) WITHOUT ROWID;
  `,
  // 2: idempotency windows: an event key held until this time may be taken over (epoch ms).
  `
  ALTER TABLE executions ADD COLUMN event_key_expires_at INTEGER;
  `,
  // 3: parked executions (a delay node, an execution retry): not claimable before wake_at.
  `
  ALTER TABLE executions ADD COLUMN wake_at INTEGER;
  `,
  // 4: replays (the execution a replay was made from), and the index the inspector's filtered
  // pages use: one workflow's executions of one status, newest first, without a sort.
  `
  ALTER TABLE executions ADD COLUMN replay_of TEXT;
  CREATE INDEX executions_workflow_status ON executions (workflow_key, status, created_at, seq);
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the schema to `SCHEMA_VERSION` in one immediate transaction (a second process opening
 * the same file at the same time waits, then finds the work done). Throws for a file written by
 * a newer version, or one that has an `executions` table hookflow did not make.
 */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new Error(`its schema version is ${version}, newer than this hookflow knows (${SCHEMA_VERSION}); upgrade hookflow`)
    }
    if (version === 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE name IN ('executions', 'jobs')").get()) {
      throw new Error('it has an "executions" or "jobs" table that hookflow did not create')
    }
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next - 1]!)
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`)
  }).immediate()
}
