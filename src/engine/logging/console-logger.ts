/**
 * @module
 * The default logger: one line per event on the console, from `warn` up unless told otherwise.
 * Lines read `2026-12-06T20:56:18.000Z WARN  hookflow: execution error workflowKey=pay ...`.
 *
 * ```ts
 * import { createConsoleLogger, createEngine } from 'hookflow'
 * const engine = createEngine({ logger: createConsoleLogger({ level: 'debug' }) })
 * ```
 */
import { LOG_LEVELS, type LogFields, type Logger, type LogLevel } from './logger.js'

/**
 * The lowest level `createConsoleLogger` writes, and where its lines go.
 *
 * @example
 * ```ts
 * import { createConsoleLogger, type ConsoleLoggerOptions } from 'hookflow'
 *
 * const options: ConsoleLoggerOptions = { level: 'info', write: (line) => process.stdout.write(line + '\n') }
 * const logger = createConsoleLogger(options)
 * ```
 */
export interface ConsoleLoggerOptions {
  /** The lowest level written. Default `warn`. */
  level?: LogLevel
  /** Where a finished line goes. Default: `console.error` for warn and error, `console.log` below. */
  write?: (line: string, level: LogLevel) => void
}

const PLAIN = /^[\w.:/@+-]+$/

function formatValue(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value)
  return PLAIN.test(value) ? value : JSON.stringify(value)
}

/** `message key=value ...`, with values quoted (JSON) when they hold anything but plain characters. */
export function formatLine(level: LogLevel, fields: LogFields, message: string, now = new Date()): string {
  let line = `${now.toISOString()} ${level.toUpperCase().padEnd(5)} hookflow: ${message}`
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line += ` ${key}=${formatValue(value)}`
  }
  return line
}

function defaultWrite(line: string, level: LogLevel): void {
  if (level === 'warn' || level === 'error') console.error(line)
  else console.log(line)
}

/**
 * A logger that writes one `message key=value …` line per event to the console, from `warn` up by default.
 *
 * @example
 * ```ts
 * import { createConsoleLogger, createEngine } from 'hookflow'
 *
 * const engine = createEngine({ logger: createConsoleLogger({ level: 'info' }) })
 * ```
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const level = options.level ?? 'warn'
  const lowest = LOG_LEVELS.indexOf(level)
  if (lowest < 0) throw new TypeError(`level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`)
  const write = options.write ?? defaultWrite
  const at = (atLevel: LogLevel) => {
    if (LOG_LEVELS.indexOf(atLevel) < lowest) return () => {}
    return (fields: LogFields, message: string) => write(formatLine(atLevel, fields, message), atLevel)
  }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: (name) => LOG_LEVELS.indexOf(name as LogLevel) >= lowest,
  }
}
