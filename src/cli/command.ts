/**
 * @module
 * What a command is: a name, a one-line summary for `hookflow --help`, its help text, the
 * options `util.parseArgs` reads for it, and `run`, which resolves to the exit code.
 *
 * ```ts
 * export const migrateCommand: Command = {
 *   name: 'migrate', summary: 'Run the Postgres migrations', help: '...',
 *   options: { pg: { type: 'string' } },
 *   run: async ({ values }, context) => 0,
 * }
 * ```
 */
import type { Readable } from 'node:stream'
import type { Output } from './output.js'
import type { ParsedArgs, OptionSpecs } from './parse-command-args.js'

export interface CommandContext {
  readonly output: Output
  /** Machine-readable output asked for (`--json`). */
  readonly json: boolean
  readonly stdin: Readable
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
  /** Fires on SIGINT or SIGTERM: long-running commands (`dev`) close and resolve. */
  readonly stop: AbortSignal
}

export interface Command {
  readonly name: string
  readonly summary: string
  /** The whole `--help` text. */
  readonly help: string
  readonly options: OptionSpecs
  run(args: ParsedArgs, context: CommandContext): Promise<number>
}
