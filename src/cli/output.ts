/**
 * @module
 * Where a command writes: lines for people on stdout, problems on stderr, JSON for scripts, and
 * colour only when the stream is a terminal (`NO_COLOR` turns it off, `FORCE_COLOR` on).
 *
 * ```ts
 * const output = createOutput({ stdout: process.stdout, stderr: process.stderr, env: process.env })
 * output.line(`${output.colors.green('resolved')} in 12 ms`)
 * ```
 */
import type { Writable } from 'node:stream'

export interface Colors {
  readonly enabled: boolean
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

export interface Output {
  readonly colors: Colors
  /** A line on stdout. */
  line(text?: string): void
  /** A line on stderr. */
  problem(text: string): void
  /** One JSON value on one line of stdout (NDJSON when called more than once). */
  json(value: unknown): void
}

export interface OutputStreams {
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

const paint = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`

/** Colour for a stream: off with `NO_COLOR` (any value but empty), on with `FORCE_COLOR` (not `0`), else on a terminal only. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true
}

export function createColors(enabled: boolean): Colors {
  const plain = (text: string): string => text
  return {
    enabled,
    bold: enabled ? paint(1, 22) : plain,
    dim: enabled ? paint(2, 22) : plain,
    red: enabled ? paint(31, 39) : plain,
    green: enabled ? paint(32, 39) : plain,
    yellow: enabled ? paint(33, 39) : plain,
    cyan: enabled ? paint(36, 39) : plain,
  }
}

export function createOutput(streams: OutputStreams): Output {
  const colors = createColors(colorEnabled(streams.stdout, streams.env))
  const problemColors = createColors(colorEnabled(streams.stderr, streams.env))
  return {
    colors,
    line: (text = '') => void streams.stdout.write(`${text}\n`),
    problem: (text) => void streams.stderr.write(`${problemColors.red(text)}\n`),
    json: (value) => void streams.stdout.write(`${JSON.stringify(value)}\n`),
  }
}

/** Pads cells into aligned columns; colour codes do not count towards a cell's width. */
export function table(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const visible = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, '').length
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))))
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell))))
      .join(gap)
      .trimEnd(),
  )
}
