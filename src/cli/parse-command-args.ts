/**
 * @module
 * Command lines through Node's own `util.parseArgs` (stable since Node 20, no dependency),
 * strict: an unknown option or a missing value is a `UsageError` (exit 2). Every command also
 * takes `--help` (`-h`) and `--json`.
 *
 * ```ts
 * const { values, positionals } = parseCommandArgs(['--port', '4000', 'flows/'], { port: { type: 'string' } })
 * ```
 */
import { parseArgs } from 'node:util'
import { UsageError } from './cli-errors.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
}

export type OptionSpecs = Record<string, OptionSpec>

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>
  positionals: string[]
}

export const COMMON_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
}

export function parseCommandArgs(args: readonly string[], options: OptionSpecs): ParsedArgs {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true })
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // Node's messages go on to explain `--`; the first sentence is the problem.
      const message = (error as Error).message
      throw new UsageError(message.split(/\.\s/)[0]!.replace(/\.$/, ''))
    }
    throw error
  }
}

/** A string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

/** Every value of a `multiple` string option. */
export function stringList(args: ParsedArgs, name: string): string[] {
  const value = args.values[name]
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' ? [value] : []
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}

/** An integer option within bounds, or the fallback when absent; anything else is a usage error. */
export function integerOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const text = stringOption(args, name)
  if (text === undefined) return fallback
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`)
  }
  return value
}
