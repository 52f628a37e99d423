/**
 * @module
 * The names the Postgres store writes into SQL: its schema and tables. They come from options,
 * so they are checked against a strict pattern (lower-case letters, digits, `_`) and then
 * quoted; nothing a user typed reaches SQL any other way.
 */
import { createHash } from 'node:crypto'

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/
const PREFIX = /^[a-z_][a-z0-9_]{0,39}$/

export interface PostgresNames {
  /** The schema, unquoted (for messages). */
  schema: string
  /** Quoted, schema-qualified table names. */
  executions: string
  jobs: string
  migrations: string
  /** Unquoted index name prefix (indexes live in their table's schema). */
  prefix: string
  /** The advisory lock `migrate()` takes: one per schema, as a signed 64-bit integer. */
  lockKey: string
  /** The LISTEN/NOTIFY channel of the queue, unquoted (at most 63 characters). */
  channel: string
}

const quote = (name: string): string => `"${name}"`

export function postgresNames(schema = 'hookflow', tablePrefix = ''): PostgresNames {
  if (typeof schema !== 'string' || !SCHEMA.test(schema) || schema.startsWith('pg_')) {
    throw new TypeError(`schema must be 1-63 lower-case letters, digits or _ (not starting with a digit or pg_), got ${JSON.stringify(schema)}`)
  }
  if (typeof tablePrefix !== 'string' || (tablePrefix !== '' && !PREFIX.test(tablePrefix))) {
    throw new TypeError(`tablePrefix must be up to 40 lower-case letters, digits or _ (not starting with a digit), got ${JSON.stringify(tablePrefix)}`)
  }
  const table = (name: string): string => `${quote(schema)}.${quote(tablePrefix + name)}`
  // Migrations lock the schema (they may create it), so stores in other schemas never wait for
  // each other; the channel belongs to the tables.
  const lock = createHash('sha256').update(`hookflow:${schema}`).digest()
  const digest = createHash('sha256').update(`hookflow:${schema}:${tablePrefix}`).digest()
  return {
    schema,
    executions: table('executions'),
    jobs: table('jobs'),
    migrations: table('migrations'),
    prefix: tablePrefix,
    lockKey: lock.readBigInt64BE(0).toString(),
    // Identifiers are cut at 63 bytes: a hash keeps long schema names apart.
    channel: `hookflow_queue_${digest.subarray(8, 20).toString('hex')}`,
  }
}

export { quote as quoteIdentifier }
