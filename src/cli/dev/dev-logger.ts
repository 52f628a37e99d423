/**
 * @module
 * The engine's logger under `hookflow dev`: warnings and errors (a retry scheduled, the store
 * unreachable, an unexpected failure) reach the terminal, debug and info lines do not, and the
 * line the engine writes when an execution fails is left out, because the delivery's own line
 * already says which node failed and why.
 */
import type { LogFields, Logger } from '../../engine/logging/logger.js'

export function createDevLogger(write: (level: 'warn' | 'error', message: string) => void): Logger {
  const line = (level: 'warn' | 'error') => (fields: LogFields, message: string) => {
    // The execution-end line: it carries the execution's final `status`.
    if (level === 'warn' && fields.status !== undefined && fields.executionId !== undefined) return
    write(level, fields.workflowKey ? `${message} (workflow ${String(fields.workflowKey)})` : message)
  }
  return {
    debug() {},
    info() {},
    warn: line('warn'),
    error: line('error'),
    isLevelEnabled: (level) => level === 'warn' || level === 'error',
  }
}
