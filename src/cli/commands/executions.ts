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
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { Command, CommandContext } from '../command.js'
import { integerOption, type ParsedArgs, stringOption } from '../parse-command-args.js'
import { type OpenedStore, openStore } from '../executions/open-store.js'
import { executionDetail, executionTable } from '../executions/format-execution.js'
import { cancelInStore, retryInStore } from '../executions/store-actions.js'
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../engine/execution.js'

const HELP = `Usage: hookflow executions <list | show <id> | retry <id> | cancel <id>> [options]

The execution history of a SQLite file or a Postgres database.

  list            the newest executions first (without their jobs)
  show <id>       one execution: its fields, context, response, and its jobs in order with
                  each result or error
  retry <id>      a failed, error or aborted execution goes back to queued; the workers of
                  that store (a running "hookflow dev", any engine.start()) run it next,
                  continuing after its last resolved job
  cancel <id>     a queued or parked execution becomes aborted (reason canceled); one that
                  is running in another process can only be canceled by that process

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

const ACTIONS = ['list', 'show', 'retry', 'cancel'] as const
type Action = (typeof ACTIONS)[number]

function statuses(text: string | undefined): ExecutionStatus[] | undefined {
  if (text === undefined) return undefined
  const list = text.split(',').map((item) => item.trim()).filter(Boolean)
  for (const status of list) {
    if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status ${JSON.stringify(status)} is not a status (${EXECUTION_STATUSES.join(', ')})`)
    }
  }
  if (list.length === 0) throw new UsageError('--status needs at least one status')
  return list as ExecutionStatus[]
}

async function list(args: ParsedArgs, opened: OpenedStore, context: CommandContext): Promise<number> {
  const limit = integerOption(args, 'limit', 20, 1, 1000)
  const workflowKey = stringOption(args, 'workflow')
  const status = statuses(stringOption(args, 'status'))
  const records = await opened.store.executions.list({ limit, ...(workflowKey ? { workflowKey } : {}), ...(status ? { status } : {}) })
  if (context.json) {
    context.output.json(records.map(({ jobs: _jobs, ...record }) => record))
    return 0
  }
  if (records.length === 0) {
    context.output.line(`No executions${workflowKey || status ? ' match' : ''} in ${opened.label}.`)
    return 0
  }
  for (const line of executionTable(records, context.output.colors)) context.output.line(line)
  return 0
}

async function show(id: string, opened: OpenedStore, context: CommandContext): Promise<number> {
  const execution = await opened.store.executions.get(id)
  if (!execution) throw new CliFailure(`no execution ${id} in ${opened.label}`)
  execution.jobs = await opened.store.jobs.list(id)
  if (context.json) context.output.json(execution)
  else for (const line of executionDetail(execution, context.output.colors)) context.output.line(line)
  return 0
}

async function change(action: 'retry' | 'cancel', id: string, opened: OpenedStore, context: CommandContext): Promise<number> {
  const result = action === 'retry' ? await retryInStore(opened.store, id) : await cancelInStore(opened.store, id, `hookflow-cli:${process.pid}`)
  if (!result.ok) throw new CliFailure(result.reason)
  const { execution } = result
  if (context.json) {
    context.output.json({ id: execution.id, workflowKey: execution.workflowKey, status: execution.status, reason: execution.reason })
  } else if (action === 'retry') {
    context.output.line(`Execution ${id} (${execution.workflowKey}) is queued again; the workers of ${opened.label} run it next.`)
  } else {
    context.output.line(`Execution ${id} (${execution.workflowKey}) is aborted (canceled).`)
  }
  return 0
}

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
    const [action, id, ...extra] = args.positionals
    if (action === undefined) throw new UsageError(`needs an action: ${ACTIONS.join(', ')}`)
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action ${JSON.stringify(action)} (${ACTIONS.join(', ')})`)
    if (action === 'list' && id !== undefined) throw new UsageError(`list takes no id, got ${JSON.stringify(id)}`)
    if (action !== 'list' && id === undefined) throw new UsageError(`${action} needs an execution id`)
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
    if (action !== 'list') {
      for (const name of ['workflow', 'status', 'limit']) if (args.values[name] !== undefined) throw new UsageError(`--${name} goes with list`)
    }
    const opened = await openStore(
      { db: stringOption(args, 'db'), pg: stringOption(args, 'pg'), schema: stringOption(args, 'schema'), tablePrefix: stringOption(args, 'table-prefix') },
      { cwd: context.cwd },
    )
    try {
      switch (action as Action) {
        case 'list':
          return await list(args, opened, context)
        case 'show':
          return await show(id!, opened, context)
        default:
          return await change(action as 'retry' | 'cancel', id!, opened, context)
      }
    } catch (error) {
      if (error instanceof CliFailure || error instanceof UsageError) throw error
      const hint = (error as { code?: string }).code === 'postgres_schema_missing' ? ' (run: hookflow migrate --pg <url>)' : ''
      throw new CliFailure(`${opened.label}: ${oneLine(error)}${hint}`, { cause: error })
    } finally {
      await opened.store.close?.()
    }
  },
}
