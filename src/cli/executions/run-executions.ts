/**
 * @module
 * What `hookflow executions` does (see `commands/executions.ts`): opens the SQLite or Postgres
 * store and lists, shows, retries or cancels executions in it, with no workflow registered.
 *
 * ```ts
 * const code = await runExecutions(parseCommandArgs(['list', '--db', 'hookflow.db'], executionsCommand.options), context)
 * ```
 */
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { CommandContext } from '../command.js'
import { integerOption, type ParsedArgs, stringOption } from '../parse-command-args.js'
import { type OpenedStore, openStore } from './open-store.js'
import { executionDetail, executionTable } from './format-execution.js'
import { cancelInStore, retryInStore } from './store-actions.js'
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../engine/execution.js'

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
  const result = action === 'retry' ? await retryInStore(opened.store, id) : await cancelInStore(opened.store, id)
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

export async function runExecutions(args: ParsedArgs, context: CommandContext): Promise<number> {
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
}
