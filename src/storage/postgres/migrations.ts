/**
 * @module
 * The Postgres schema and its migrations, tracked in a `migrations` table (one row per applied
 * version). Migration N takes the schema from version N - 1 to N. Only ever append a migration;
 * never change a shipped one.
 *
 * `migrate` runs in one transaction behind a transaction-scoped advisory lock, so two processes
 * migrating at once take turns: the second finds the work done. `schemaVersion` is the check
 * every store runs once before its first query.
 */
import type { Pool, PoolClient } from 'pg'
import type { PostgresNames } from './names.js'
import { driverMessage, PostgresStoreError } from './postgres-store-error.js'

const MIGRATIONS: ReadonlyArray<{ name: string; sql: (n: PostgresNames) => string }> = [
  {
    name: 'executions and jobs',
    sql: ({ executions, jobs, prefix }) => `
      CREATE TABLE ${executions} (
        -- Insertion order: breaks createdAt ties in lists and pages.
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        workflow_key TEXT NOT NULL,
        event_key TEXT UNIQUE,
        event_key_expires_at BIGINT,
        sync BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        -- json, not jsonb: a payload keeps its key order and costs no conversion to store.
        context JSON NOT NULL,
        response JSON,
        error JSON,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        lease_until BIGINT NOT NULL DEFAULT 0,
        wake_at BIGINT
      );
      CREATE INDEX "${prefix}executions_created" ON ${executions} (created_at, seq);
      CREATE INDEX "${prefix}executions_workflow" ON ${executions} (workflow_key, created_at, seq);
      -- Small: only what a worker may still claim. Finished executions leave it.
      CREATE INDEX "${prefix}executions_pending" ON ${executions} (created_at, seq) WHERE status IN ('queued', 'started');
      CREATE TABLE ${jobs} (
        execution_id TEXT NOT NULL REFERENCES ${executions} (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        job JSON NOT NULL,
        PRIMARY KEY (execution_id, idx)
      );
    `,
  },
  {
    name: 'replays, and filtered pages by workflow and status',
    // The index is built inside `migrate()`'s transaction: writes to the table wait for it
    // (370 ms for 100,000 executions on the development VM; bench/inspector-listing.ts).
    sql: ({ executions, prefix }) => `
      ALTER TABLE ${executions} ADD COLUMN replay_of TEXT;
      CREATE INDEX "${prefix}executions_workflow_status" ON ${executions} (workflow_key, status, created_at, seq);
    `,
  },
]

/**
 * The schema version this hookflow's `migrate()` brings a database to (exported as `POSTGRES_SCHEMA_VERSION`).
 *
 * @example
 * ```ts
 * import { POSTGRES_SCHEMA_VERSION, createPostgresStore } from 'hookflow/postgres'
 *
 * const applied = await createPostgresStore({ connectionString: 'postgres://app@db/app' }).migrate()
 * console.log(`now at ${POSTGRES_SCHEMA_VERSION}, applied`, applied)
 * ```
 */
export const SCHEMA_VERSION = MIGRATIONS.length

/** The applied version, or 0 when the migrations table does not exist. */
async function appliedVersion(client: Pool | PoolClient, names: PostgresNames): Promise<number> {
  // Looked up, not tried: a failed statement would abort `migrate`'s transaction.
  const { rows: [table] } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [names.migrations])
  if (!table?.found) return 0
  const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${names.migrations}`)
  return rows[0]?.version ?? 0
}

function newer(names: PostgresNames, version: number, server: string): PostgresStoreError {
  return new PostgresStoreError(
    'postgres_schema_newer',
    names.schema,
    `The Postgres schema "${names.schema}" (at ${server}) is at version ${version}, newer than this hookflow knows (${SCHEMA_VERSION}); upgrade hookflow`,
    undefined,
    server,
  )
}

/** Brings the schema to `SCHEMA_VERSION`; returns the versions it applied. Failures name the server and the schema. */
export async function migrate(pool: Pool, names: PostgresNames, server: string): Promise<number[]> {
  const where = `Postgres at ${server}, schema "${names.schema}"`
  let client: PoolClient
  try {
    client = await pool.connect()
  } catch (error) {
    throw new PostgresStoreError('postgres_query_failed', names.schema, `The store (${where}) could not be migrated: no connection: ${driverMessage(error)}`, error, server)
  }
  let broken = false
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [names.lockKey])
    // Looked up first: CREATE SCHEMA needs the CREATE right on the database even when the
    // schema exists, and a role may well have been given just the schema.
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.schema])
    if (!rowCount) await client.query(`CREATE SCHEMA "${names.schema}"`)
    const version = await appliedVersion(client, names)
    if (version > SCHEMA_VERSION) throw newer(names, version, server)
    if (version === 0) {
      const { rows } = await client.query<{ found: string | null }>(
        'SELECT coalesce(to_regclass($1), to_regclass($2))::text AS found',
        [names.executions, names.jobs],
      )
      if (rows[0]?.found) {
        throw new PostgresStoreError('postgres_schema_conflict', names.schema, `The Postgres table ${rows[0].found} (at ${server}) exists but hookflow did not create it; choose another \`schema\` or \`tablePrefix\``, undefined, server)
      }
      await client.query(`CREATE TABLE IF NOT EXISTS ${names.migrations} (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`)
    }
    const applied: number[] = []
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
      const migration = MIGRATIONS[next - 1]!
      await client.query(migration.sql(names))
      await client.query(`INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`, [next, migration.name])
      applied.push(next)
    }
    await client.query('COMMIT')
    return applied
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true))
    if (PostgresStoreError.is(error)) throw error
    throw new PostgresStoreError('postgres_query_failed', names.schema, `The store (${where}) could not be migrated: ${driverMessage(error)}`, error, server)
  } finally {
    // A connection whose ROLLBACK failed may be broken: drop it rather than return it.
    client.release(broken)
  }
}

/** Resolves when the schema is exactly at `SCHEMA_VERSION`; throws a clear error otherwise. */
export async function checkSchema(pool: Pool, names: PostgresNames, server: string): Promise<void> {
  const version = await appliedVersion(pool, names)
  if (version === SCHEMA_VERSION) return
  if (version > SCHEMA_VERSION) throw newer(names, version, server)
  if (version === 0) {
    throw new PostgresStoreError('postgres_schema_missing', names.schema, `The Postgres schema "${names.schema}" (at ${server}) has no hookflow tables: run \`await store.migrate()\` once before using the store`, undefined, server)
  }
  throw new PostgresStoreError('postgres_schema_outdated', names.schema, `The Postgres schema "${names.schema}" (at ${server}) is at version ${version}, older than this hookflow needs (${SCHEMA_VERSION}): run \`await store.migrate()\``, undefined, server)
}
