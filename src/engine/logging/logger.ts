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

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Structured fields of a line. hookflow writes these names: `workflowKey`, `executionId`,
 * `nodeKey`, `nodeType`, `status`, `reason`, `errorCode`, `errorMessage`, `durationMs`,
 * `attempt`, `method`, `path`, `statusCode`, `mode`. Never a secret, an `authorization`
 * header, a cookie or a body.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  debug(fields: LogFields, message: string): void
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
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
