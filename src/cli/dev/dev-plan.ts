/**
 * @module
 * `hookflow dev`'s command line read into a plan (what to serve, where, on which store), and
 * the store opened from it: SQLite by default, memory, or Postgres (migrated first).
 *
 * ```ts
 * const plan = devPlan(args, cwd)   // { folders, files, nodes, port, host, store }
 * const { store, label } = await openDevStore(plan.store, cwd)
 * ```
 */
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import { flag, integerOption, type ParsedArgs, stringList, stringOption } from '../parse-command-args.js'
import type { Store } from '../../storage/store.js'
import { openPostgres, openSqlite } from '../executions/open-store.js'

export type StoreChoice = { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string }

export interface DevPlan {
  folders: string[]
  files: string[]
  nodes: string[]
  port: number
  host: string
  store: StoreChoice
}

export function devPlan(args: ParsedArgs, cwd: string): DevPlan {
  if (args.positionals.length === 0) throw new UsageError('needs the files or folders of workflow definitions to serve')
  const db = stringOption(args, 'db')
  const pg = stringOption(args, 'pg')
  const memory = flag(args, 'memory')
  if ([db !== undefined, pg !== undefined, memory].filter(Boolean).length > 1) throw new UsageError('choose one store: --db <file>, --memory or --pg <url>')
  if (stringOption(args, 'schema') !== undefined && pg === undefined) throw new UsageError('--schema goes with --pg')
  const host = stringOption(args, 'host') ?? '127.0.0.1'
  if (host === '') throw new UsageError('--host needs an address')
  const port = integerOption(args, 'port', 3000, 0, 65535)
  const folders: string[] = []
  const files: string[] = []
  for (const given of args.positionals) {
    const path = resolve(cwd, given)
    if (!existsSync(path)) throw new CliFailure(`no such file or folder: ${given}`)
    if (statSync(path).isDirectory()) folders.push(path)
    else files.push(path)
  }
  const store: StoreChoice = memory
    ? { kind: 'memory' }
    : pg !== undefined
      ? { kind: 'postgres', url: pg, schema: stringOption(args, 'schema') }
      : { kind: 'sqlite', file: db ?? 'hookflow.db' }
  return { folders, files, nodes: stringList(args, 'nodes'), port, host, store }
}

export async function openDevStore(choice: StoreChoice, cwd: string): Promise<{ store?: Store; label: string; database?: string }> {
  if (choice.kind === 'memory') return { label: 'memory: executions are lost when dev stops' }
  if (choice.kind === 'sqlite') {
    try {
      const { store, label } = await openSqlite(choice.file, cwd, false)
      return { store, label, database: choice.file }
    } catch (error) {
      throw new CliFailure(`${oneLine(error)}${/better-sqlite3/.test(oneLine(error)) ? ', or run with --memory' : ''}`, { cause: error })
    }
  }
  const { store, label } = await openPostgres({ pg: choice.url, schema: choice.schema })
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw new CliFailure(`could not migrate ${label}: ${oneLine(error)}`, { cause: error })
  }
  return { store, label }
}
