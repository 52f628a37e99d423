/**
 * @module
 * The body `send` delivers: `--data @file` (the file's bytes), `--data -` (stdin), or the text
 * given; and the content type it gets when no `--header` names one.
 *
 * ```ts
 * const body = await readData('@event.json', { cwd, stdin })
 * defaultContentType(body) // 'application/json'
 * ```
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { CliFailure } from '../cli-errors.js'
import { readAll } from '../read-stream.js'

export async function readData(data: string | undefined, context: { cwd: string; stdin: Readable }): Promise<Uint8Array | undefined> {
  if (data === undefined) return undefined
  if (data === '-') return readAll(context.stdin)
  if (data.startsWith('@')) {
    const file = data.slice(1)
    try {
      return new Uint8Array(await readFile(resolve(context.cwd, file)))
    } catch (error) {
      throw new CliFailure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
    }
  }
  return new TextEncoder().encode(data)
}

/** JSON when the body parses as JSON, a form when it reads like `a=1&b=2`, else text. */
export function defaultContentType(body: Uint8Array): string {
  const text = new TextDecoder().decode(body)
  try {
    JSON.parse(text)
    return 'application/json'
  } catch {
    return /^[\w.%+*~-]+=[^\s&]*(?:&[\w.%+*~-]+=[^\s&]*)*$/.test(text) ? 'application/x-www-form-urlencoded' : 'text/plain; charset=utf-8'
  }
}
