/**
 * @module
 * The logger shape hookflow writes to: pino's (`logger.warn(fields, message)`), so pino itself,
 * a pino child, or a thin wrapper around any other logger fits.
 *
 * ```ts
 * import pino from 'pino'
 * const engine = createEngine({ logger: pino() })     // or logger: false to turn it off
 * ```
 */

/**
 * The log levels, lowest first.
 *
 * @example
 * ```ts
 * import { LOG_LEVELS, type LogLevel } from 'hookflow'
 *
 * const level = (process.env.LOG_LEVEL ?? 'warn') as LogLevel
 * const valid = LOG_LEVELS.includes(level)
 * ```
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
/**
 * A log level: `debug`, `info`, `warn` or `error`.
 *
 * @example
 * ```ts
 * import { createConsoleLogger, type LogLevel } from 'hookflow'
 *
 * const level: LogLevel = 'info'
 * const logger = createConsoleLogger({ level })
 * ```
 */
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Structured fields of a line. hookflow writes these names: `workflowKey`, `executionId`,
 * `nodeKey`, `nodeType`, `status`, `reason`, `errorCode`, `errorMessage`, `durationMs`,
 * `attempt`, `method`, `path`, `statusCode`, `mode`. Never a secret, an `authorization`
 * header, a cookie or a body.
 *
 * @example
 * ```ts
 * import type { LogFields } from 'hookflow'
 *
 * const fields: LogFields = { workflowKey: 'orders', executionId: 'ex-1', durationMs: 12.5 }
 * ```
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>

/**
 * Where hookflow writes its log lines, in pino's shape: pino itself fits, or a small wrapper around another logger.
 *
 * @example
 * ```ts
 * import { createEngine, type Logger } from 'hookflow'
 *
 * const logger: Logger = {
 *   debug: () => {},
 *   info: (fields, message) => console.info(message, fields),
 *   warn: (fields, message) => console.warn(message, fields),
 *   error: (fields, message) => console.error(message, fields),
 * }
 * const engine = createEngine({ logger })
 * ```
 */
export interface Logger {
  /** Writes a line at `debug`. */
  debug(fields: LogFields, message: string): void
  /** Writes a line at `info`. */
  info(fields: LogFields, message: string): void
  /** Writes a line at `warn`. */
  warn(fields: LogFields, message: string): void
  /** Writes a line at `error`. */
  error(fields: LogFields, message: string): void
  /** pino's check; when present, hookflow skips building lines a level would drop. */
  isLevelEnabled?(level: string): boolean
}

/** Drops everything: `createEngine({ logger: false })`. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
}
