/**
 * @module
 * The two ways a command ends badly, each with its exit code: a usage error (2: the command
 * line itself is wrong, fix the arguments) and a failure the command explains (1: the arguments
 * were fine, something else was not). Anything else thrown is a bug, reported as a failure.
 *
 * ```ts
 * if (!url) throw new UsageError('send needs a URL')           // exit 2
 * if (!exists) throw new CliFailure(`no such file: ${file}`)    // exit 1
 * ```
 */

export class UsageError extends Error {
  readonly exitCode = 2
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export class CliFailure extends Error {
  readonly exitCode = 1
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliFailure'
  }
}

/** The message of anything thrown, on one line. */
export function oneLine(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error)
  // A connection refused on every address of a host is an AggregateError with no message.
  if (message === '' && error instanceof AggregateError) message = oneLine(error.errors[0])
  if (message === '') message = String((error as { code?: unknown }).code ?? (error as Error).name ?? 'unknown error')
  return message.replace(/\s*\n\s*/g, ' ').trim()
}
