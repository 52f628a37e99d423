/**
 * @module
 * Everything `hookflow dev` tells its user, in one of two forms: lines for a person (problems
 * on stderr, colour on a terminal), or with `--json` one JSON object per line on stdout
 * (`{"event":"delivery",...}`) for scripts and tests.
 *
 * ```ts
 * const reporter = createDevReporter(output, { json: false, cwd })
 * reporter.delivery({ time: Date.now(), workflow: 'orders', statusCode: 200, status: 'resolved', durationMs: 12, executionId })
 * ```
 */
import { relative } from 'node:path'
import type { Output } from '../output.js'
import { table } from '../output.js'
import type { DeliveryLine } from './delivery-log.js'
import type { FileProblem } from './workflow-files.js'
import { formatDuration, statusColor } from '../executions/format-execution.js'

export interface WorkflowEntry {
  key: string
  mode: 'sync' | 'async'
  methods: string[]
  enabled: boolean
  url: string
  file: string
}

export interface DevReporter {
  listening(info: { url: string; store: string; database?: string; inspector?: string; workflows: WorkflowEntry[]; problems: FileProblem[]; watching: string[] }): void
  registered(workflows: WorkflowEntry[]): void
  unregistered(key: string, file: string): void
  /** A changed definition failed; this key keeps running its last good version. */
  kept(key: string, file: string): void
  problems(problems: readonly FileProblem[]): void
  delivery(line: DeliveryLine): void
  log(level: 'warn' | 'error', message: string): void
  closed(): void
}

function clock(ms: number): string {
  const date = new Date(ms)
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
}

export function createDevReporter(output: Output, options: { json: boolean; cwd: string }): DevReporter {
  const shown = (file: string): string => relative(options.cwd, file) || file
  if (options.json) {
    const workflow = (entry: WorkflowEntry) => output.json({ event: 'workflow', ...entry, file: shown(entry.file) })
    const problem = (p: FileProblem) => output.json({ event: 'problem', file: shown(p.file), pointer: p.pointer, message: p.message })
    return {
      listening(info) {
        info.workflows.forEach(workflow)
        info.problems.forEach(problem)
        output.json({ event: 'listening', url: info.url, store: info.store, ...(info.database ? { database: info.database } : {}), ...(info.inspector ? { inspector: info.inspector } : {}), watching: info.watching.map(shown) })
      },
      registered: (entries) => entries.forEach(workflow),
      unregistered: (key, file) => output.json({ event: 'unregistered', key, file: shown(file) }),
      kept: (key, file) => output.json({ event: 'kept', key, file: shown(file) }),
      problems: (problems) => problems.forEach(problem),
      delivery: (line) => output.json({ event: 'delivery', ...line, time: new Date(line.time).toISOString() }),
      log: (level, message) => output.json({ event: 'log', level, message }),
      closed: () => output.json({ event: 'closed' }),
    }
  }

  const { colors } = output
  let keyWidth = 8
  const workflowRows = (entries: readonly WorkflowEntry[], prefix: string): string[] =>
    table(entries.map((entry) => [
      `${prefix}${colors.bold(entry.key)}`,
      entry.mode,
      entry.methods.join(','),
      entry.enabled ? colors.cyan(entry.url) : colors.dim(`${entry.url} (disabled: answers 404)`),
    ]))
  const problemLine = (p: FileProblem): string => `${shown(p.file)}${p.pointer ? ` at ${p.pointer}` : ''}: ${p.message}`
  return {
    listening(info) {
      keyWidth = Math.max(keyWidth, ...info.workflows.map((entry) => entry.key.length))
      output.line(`${colors.bold('hookflow dev')} on ${colors.cyan(info.url)}  ${colors.dim(`(${info.store})`)}`)
      if (info.inspector) output.line(`inspector: ${colors.cyan(info.inspector)}`)
      output.line()
      if (info.workflows.length === 0) output.line(colors.dim('  no workflows yet'))
      for (const row of workflowRows(info.workflows, '  ')) output.line(row)
      output.line()
      for (const p of info.problems) output.problem(problemLine(p))
      output.line(colors.dim(`Watching ${info.watching.map(shown).join(', ')} for changes. Ctrl-C to stop.`))
    },
    registered(entries) {
      keyWidth = Math.max(keyWidth, ...entries.map((entry) => entry.key.length))
      for (const row of workflowRows(entries, `${clock(Date.now())}  ${colors.green('registered')} `)) output.line(row)
    },
    unregistered: (key, file) => output.line(`${clock(Date.now())}  ${colors.yellow('removed')} ${colors.bold(key)} ${colors.dim(`(${shown(file)})`)}`),
    kept: (key, file) => output.problem(`${clock(Date.now())}  ${key} keeps running its last good version (${shown(file)})`),
    problems: (problems) => problems.forEach((p) => output.problem(`${clock(Date.now())}  ${problemLine(p)}`)),
    delivery(line) {
      const status = line.status ? statusColor(line.status, colors)((line.reason ? `${line.status}(${line.reason})` : line.status).padEnd(9)) : '-'.padEnd(9)
      const code = line.statusCode === undefined ? '-  ' : String(line.statusCode)
      const paint = line.statusCode === undefined || line.statusCode < 400 ? (text: string) => text : colors.red
      const parts = [
        clock(line.time),
        (line.workflow ?? '-').padEnd(keyWidth),
        paint(code),
        status,
        formatDuration(line.durationMs).padStart(7),
        line.executionId ?? '-',
      ]
      if (line.workflow === undefined && line.path !== undefined) parts.push(colors.dim(`${line.method} ${line.path}`))
      if (line.error) parts.push(colors.red(line.error))
      output.line(parts.join('  '))
    },
    log: (level, message) => output.problem(`${clock(Date.now())}  ${level === 'error' ? 'error' : 'warning'}: ${message}`),
    closed: () => output.line(colors.dim('hookflow dev stopped.')),
  }
}
