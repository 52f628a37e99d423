/**
 * @module
 * Real pino writing JSON lines into memory, for the logging tests.
 *
 * ```ts
 * const log = pinoCapture('debug')
 * createEngine({ logger: log.logger })
 * expect(log.lines().filter((line) => line.level === 'warn')).toHaveLength(1)
 * ```
 */
import { Writable } from 'node:stream'
import { pino, type Logger as Pino } from 'pino'

export interface LogLine {
  level: string
  msg: string
  [field: string]: unknown
}

export interface LogCapture {
  logger: Pino
  /** Every line written so far, parsed. */
  lines(): LogLine[]
  /** Everything written, as text, for checks that nothing secret is in it. */
  text(): string
}

export function pinoCapture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug'): LogCapture {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'))
      done()
    },
  })
  const logger = pino({ level, formatters: { level: (label) => ({ level: label }) } }, stream)
  const text = (): string => chunks.join('')
  const lines = (): LogLine[] =>
    text()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LogLine)
  return { logger, lines, text }
}
