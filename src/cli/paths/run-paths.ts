/**
 * @module
 * What `hookflow paths` does (see `commands/paths.ts`): reads a JSON body sample or a URL,
 * lists its variable paths with suggested aliases, as a table or as `trigger.request` JSON.
 *
 * ```ts
 * const code = await runPaths(parseCommandArgs(['event.json', '--json'], {}), context)
 * ```
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import qs from 'qs'
import { CliFailure, UsageError } from '../cli-errors.js'
import type { CommandContext } from '../command.js'
import type { ParsedArgs } from '../parse-command-args.js'
import { table } from '../output.js'
import { readAll } from '../read-stream.js'
import { inferBodyPaths, inferQueryPaths } from '../../core/infer-paths.js'
import { getPath, parsePath } from '../../engine/templates/path.js'
import { suggestAliases } from './suggest-aliases.js'

type Source = 'body' | 'query'

const URL_START = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//

async function readSample(input: string, context: CommandContext): Promise<{ source: Source; text: string }> {
  if (input === '-') {
    const text = new TextDecoder().decode(await readAll(context.stdin)).trim()
    return { source: text.startsWith('{') || text.startsWith('[') ? 'body' : 'query', text }
  }
  if (URL_START.test(input) || input.startsWith('?')) return { source: 'query', text: input }
  try {
    return { source: 'body', text: await readFile(resolve(context.cwd, input), 'utf8') }
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    // `/hooks/abc?x=1` is a path with a query, unless such a file exists.
    if (missing && input.startsWith('/') && input.includes('?')) return { source: 'query', text: input }
    throw new CliFailure(`cannot read ${input}: ${missing ? 'no such file' : (error as Error).message}`)
  }
}

/** The query string of a URL, a path with a query, or a bare query string (as inferQueryPaths reads it). */
function queryOf(text: string): string {
  const withoutHash = text.split('#')[0]!
  const mark = withoutHash.indexOf('?')
  if (mark >= 0) return withoutHash.slice(mark + 1)
  return URL_START.test(withoutHash) || withoutHash.startsWith('/') ? '' : withoutHash
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function sampleText(value: unknown): string {
  if (value !== null && typeof value === 'object') return ''
  const text = JSON.stringify(value) ?? ''
  return text.length > 40 ? `${text.slice(0, 39)}…` : text
}

export async function runPaths(args: ParsedArgs, context: CommandContext): Promise<number> {
  const [input, ...extra] = args.positionals
  if (input === undefined) throw new UsageError('needs a sample: a JSON file, - for stdin, or a URL')
  if (extra.length > 0) throw new UsageError(`takes one sample, got ${args.positionals.length}`)
  const { source, text } = await readSample(input, context)
  let sample: unknown
  let paths: string[]
  if (source === 'query') {
    paths = inferQueryPaths(text)
    sample = qs.parse(queryOf(text), { depth: 5, arrayLimit: 20, parameterLimit: 1000, allowPrototypes: false })
  } else {
    try {
      sample = JSON.parse(text)
    } catch (error) {
      throw new CliFailure(`${input === '-' ? 'stdin' : input} is not valid JSON (${(error as Error).message})`)
    }
    paths = inferBodyPaths(sample)
  }
  const aliases = suggestAliases(paths)
  const entries = paths.map((key, i) => ({ key, alias: aliases[i]! }))
  const request = { [source]: entries }
  if (context.json) {
    context.output.json(request)
    return 0
  }
  const { colors } = context.output
  if (paths.length === 0) {
    context.output.line(`No variable paths: the ${source === 'query' ? 'URL has no query string' : 'sample is not an object or array with keys'}.`)
    return 0
  }
  const rows = [['path', 'alias', 'type', 'sample'].map(colors.bold)]
  for (const { key, alias } of entries) {
    const value = getPath(sample, parsePath(key))
    rows.push([key, alias, typeOf(value), colors.dim(sampleText(value))])
  }
  for (const row of table(rows)) context.output.line(row)
  context.output.line()
  context.output.line(colors.dim('trigger.request, to paste into the definition:'))
  context.output.line(`{\n  ${JSON.stringify(source)}: [\n${entries.map((entry) => `    { "key": ${JSON.stringify(entry.key)}, "alias": ${JSON.stringify(entry.alias)} }`).join(',\n')}\n  ]\n}`)
  return 0
}
