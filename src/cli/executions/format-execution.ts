/**
 * @module
 * Executions for people: a list as a table, one execution with its jobs in order, each job's
 * result or error.
 *
 * ```ts
 * for (const line of executionTable(records, colors)) output.line(line)
 * for (const line of executionDetail(record, colors)) output.line(line)
 * ```
 */
import type { ExecutionRecord, JobRecord } from '../../engine/execution.js'
import { type Colors, table } from '../output.js'

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-'
  const date = new Date(ms)
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** The colour an execution or job status is printed in. */
export function statusColor(status: string, colors: Colors): (text: string) => string {
  if (status === 'resolved') return colors.green
  if (status === 'queued' || status === 'started' || status === 'waiting') return colors.cyan
  if (status === 'aborted') return colors.yellow
  return colors.red
}

function statusText(execution: Pick<ExecutionRecord, 'status' | 'reason'>, colors: Colors): string {
  const text = execution.reason ? `${execution.status} (${execution.reason})` : execution.status
  return statusColor(execution.status, colors)(text)
}

/** How long the run took, from its creation to its end (or until now, unfinished). */
export function executionDuration(execution: ExecutionRecord): number | null {
  return execution.finishedAt === null ? null : execution.finishedAt - execution.createdAt
}

export function executionTable(executions: readonly ExecutionRecord[], colors: Colors): string[] {
  const rows = [['id', 'workflow', 'status', 'created', 'duration', 'attempts'].map(colors.bold)]
  for (const execution of executions) {
    rows.push([
      execution.id,
      execution.workflowKey,
      statusText(execution, colors),
      formatTime(execution.createdAt),
      formatDuration(executionDuration(execution)),
      String(execution.attempts),
    ])
  }
  return table(rows)
}

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined'

function jobLines(job: JobRecord, colors: Colors): string[] {
  const lines = [
    `  ${String(job.index).padStart(2)}  ${colors.bold(job.nodeKey)} ${colors.dim(`(${job.type})`)}  ${statusColor(job.status, colors)(job.status)}  ${formatDuration(job.finishedAt - job.startedAt)}${job.attempts && job.attempts > 1 ? `  ${job.attempts} attempts` : ''}`,
  ]
  if (job.flow?.branch !== undefined) lines.push(`      branch: ${job.flow.branch}`)
  if (job.error) lines.push(`      ${colors.red('error:')} ${job.error.code ? `[${job.error.code}] ` : ''}${job.error.message}`)
  else lines.push(`      result: ${json(job.result)}`)
  return lines
}

export function executionDetail(execution: ExecutionRecord, colors: Colors): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(10))} ${value}`
  const lines = [
    `${colors.bold('execution')} ${execution.id}`,
    field('workflow', execution.workflowKey),
    field('mode', execution.sync ? 'sync' : 'async'),
    field('status', statusText(execution, colors)),
    field('created', formatTime(execution.createdAt)),
    field('started', formatTime(execution.startedAt)),
    field('finished', `${formatTime(execution.finishedAt)}${execution.finishedAt === null ? '' : ` (${formatDuration(executionDuration(execution))})`}`),
    field('attempts', String(execution.attempts)),
  ]
  if (execution.eventKey) lines.push(field('event key', execution.eventKey))
  if (execution.wakeAt) lines.push(field('wakes at', formatTime(execution.wakeAt)))
  if (execution.error) lines.push(field('error', colors.red(`${execution.error.code ? `[${execution.error.code}] ` : ''}${execution.error.message}`)))
  lines.push(field('context', json(execution.context)))
  if (execution.response) lines.push(field('response', `${execution.response.statusCode} ${json(execution.response.body)}`))
  lines.push('', colors.bold(`jobs (${execution.jobs.length})`))
  if (execution.jobs.length === 0) lines.push(colors.dim('  none'))
  for (const job of execution.jobs) lines.push(...jobLines(job, colors))
  return lines
}
