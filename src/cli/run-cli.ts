/**
 * @module
 * `hookflow <command> [options]`: finds the command, parses its options, runs it, and turns
 * what it threw into an exit code: 0 success, 1 a failure explained in one line on stderr,
 * 2 a usage error (with a pointer to `--help`).
 *
 * ```ts
 * const code = await runCli(['paths', 'sample.json'], { stdout, stderr, stdin, env, cwd, listenForStop })
 * ```
 */
import type { Readable, Writable } from 'node:stream'
import { CliFailure, UsageError, oneLine } from './cli-errors.js'
import type { Command } from './command.js'
import { createOutput } from './output.js'
import { flag, parseCommandArgs } from './parse-command-args.js'
import { packageVersion } from './package-version.js'
import { devCommand } from './commands/dev.js'
import { pathsCommand } from './commands/paths.js'
import { sendCommand } from './commands/send.js'
import { executionsCommand } from './commands/executions.js'
import { migrateCommand } from './commands/migrate.js'

export const COMMANDS: readonly Command[] = [devCommand, sendCommand, pathsCommand, executionsCommand, migrateCommand]

export interface CliIo {
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  stdin: Readable
  env: NodeJS.ProcessEnv
  cwd: string
  /** Starts listening for SIGINT/SIGTERM; the signal fires on the first one. Only long-running commands ask. */
  listenForStop(): AbortSignal
}

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length))
  return [
    'Usage: hookflow <command> [options]',
    '',
    'Develop webhook workflows, send signed test deliveries, and operate executions.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Every command takes --help and --json (machine-readable output).',
    'Exit codes: 0 success, 1 a failure (explained on stderr), 2 a usage error.',
    '',
    'Run "hookflow <command> --help" for a command\'s options.',
  ].join('\n')
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const output = createOutput(io)
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const wanted = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined
    output.line(wanted ? wanted.help : topHelp())
    return 0
  }
  if (name === '--version' || name === '-v') {
    output.line(packageVersion())
    return 0
  }
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    output.problem(`hookflow: unknown command ${JSON.stringify(name)} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`)
    output.problem('Run "hookflow --help" for usage.')
    return 2
  }
  let stop: AbortSignal | undefined
  try {
    const args = parseCommandArgs(rest, command.options)
    if (flag(args, 'help')) {
      output.line(command.help)
      return 0
    }
    return await command.run(args, {
      output,
      json: flag(args, 'json'),
      stdin: io.stdin,
      env: io.env,
      cwd: io.cwd,
      get stop() {
        stop ??= io.listenForStop()
        return stop
      },
    })
  } catch (error) {
    if (error instanceof UsageError) {
      output.problem(`hookflow ${command.name}: ${error.message}`)
      output.problem(`Run "hookflow ${command.name} --help" for usage.`)
      return 2
    }
    output.problem(`hookflow ${command.name}: ${oneLine(error)}`)
    return error instanceof CliFailure ? error.exitCode : 1
  }
}
