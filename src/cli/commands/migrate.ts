/**
 * @module
 * `hookflow migrate --pg URL`: creates or upgrades hookflow's Postgres schema. Idempotent and
 * safe beside running processes: `store.migrate()` takes turns behind an advisory lock.
 *
 * ```sh
 * hookflow migrate --pg postgres://app@db/app --schema hookflow
 * ```
 */
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { Command } from '../command.js'
import { stringOption } from '../parse-command-args.js'
import { openPostgres } from '../executions/open-store.js'

const HELP = `Usage: hookflow migrate --pg <url> [--schema <name>] [--table-prefix <prefix>]

Creates or upgrades hookflow's tables in a Postgres database. Safe to run at every deploy and
beside running processes: migrations run in one transaction behind an advisory lock, and a
second run finds nothing to do.

Options:
  --pg <url>               the database (postgres://user:password@host:5432/db)
  --schema <name>          the schema for hookflow's tables (default hookflow)
  --table-prefix <prefix>  put before each table name (default none)
  --json                   { schema, applied, version } as JSON
  -h, --help               this help`

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Create or upgrade the Postgres schema (idempotent)',
  help: HELP,
  options: { pg: { type: 'string' }, schema: { type: 'string' }, 'table-prefix': { type: 'string' } },
  async run(args, context) {
    if (args.positionals.length > 0) throw new UsageError(`takes no arguments, got ${JSON.stringify(args.positionals[0])}`)
    const pg = stringOption(args, 'pg')
    if (pg === undefined) throw new UsageError('needs --pg <url>')
    const { store, label } = await openPostgres({ pg, schema: stringOption(args, 'schema'), tablePrefix: stringOption(args, 'table-prefix') })
    const { POSTGRES_SCHEMA_VERSION } = await import('../../storage/postgres/index.js')
    try {
      const applied = await store.migrate()
      if (context.json) context.output.json({ schema: store.schema, applied, version: POSTGRES_SCHEMA_VERSION })
      else if (applied.length === 0) context.output.line(`${label} is up to date (version ${POSTGRES_SCHEMA_VERSION}).`)
      else context.output.line(`${label}: applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')} (now version ${POSTGRES_SCHEMA_VERSION}).`)
      return 0
    } catch (error) {
      throw new CliFailure(`could not migrate ${label}: ${oneLine(error)}`, { cause: error })
    } finally {
      await store.close()
    }
  },
}
