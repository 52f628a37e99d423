/**
 * @module
 * `hookflow executions list|show|retry|cancel`: the execution history of a SQLite file or a
 * Postgres database, without writing code. Works on the store itself, so no workflow needs to
 * be registered; `retry` and `cancel` change the stored status, which the store's running
 * workers act on (see `store-actions.ts`).
 *
 * ```sh
 * hookflow executions list --db hookflow.db --status failed,error --limit 20
 * hookflow executions show 01JF3… --pg postgres://app@db/app --json
 * ```
 */
import type { Command } from '../command.js'
import { EXECUTION_STATUSES } from '../../engine/execution.js'

const HELP = `Usage: hookflow executions <list | show <id> | retry <id> | cancel <id>> [options]

The execution history of a SQLite file or a Postgres database.

  list            the newest executions first (without their jobs)
  show <id>       one execution: its fields, context, response, and its jobs in order with
                  each result or error
  retry <id>      a failed, error or aborted execution goes back to queued; the workers of
                  that store (a running "hookflow dev", any engine.start()) run it next,
                  continuing after its last resolved job
  cancel <id>     a queued, parked or running execution becomes aborted (reason canceled);
                  a process running it stops at its next saved step or heartbeat

Options:
  --db <file>              a SQLite database (default hookflow.db, what "hookflow dev" writes)
  --pg <url>               a Postgres database instead
  --schema <name>          Postgres: the schema of hookflow's tables (default hookflow)
  --table-prefix <prefix>  Postgres: the tables' prefix (default none)
  --workflow <key>         list: only this workflow's executions
  --status <s[,s...]>      list: only these statuses (${EXECUTION_STATUSES.join(', ')})
  --limit <n>              list: at most n executions (default 20, at most 1000)
  --json                   records as JSON (list: an array; show: the record with its jobs)
  -h, --help               this help`

export const executionsCommand: Command = {
  name: 'executions',
  summary: 'List, show, retry and cancel executions in SQLite or Postgres',
  help: HELP,
  options: {
    db: { type: 'string' },
    pg: { type: 'string' },
    schema: { type: 'string' },
    'table-prefix': { type: 'string' },
    workflow: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(args, context) {
    const { runExecutions } = await import('../executions/run-executions.js')
    return runExecutions(args, context)
  },
}
