/**
 * @module
 * What `hookflow dev` does (see `commands/dev.ts` for its options): opens the store, loads the
 * definition files and node types, serves the composed handlers on node:http, reloads changed
 * files, and on SIGINT / SIGTERM closes the watchers, the server and the engine, resolving 0.
 *
 * ```ts
 * const code = await runDev(parseCommandArgs(['workflows/', '--memory'], devCommand.options), context)
 * ```
 */
import { existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, resolve } from 'node:path'
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { CommandContext } from '../command.js'
import { flag, integerOption, type ParsedArgs, stringList, stringOption } from '../parse-command-args.js'
import { createEngine } from '../../create-engine.js'
import type { Engine } from '../../engine/engine.js'
import type { WorkflowDefinition } from '../../engine/definition.js'
import type { Store } from '../../storage/store.js'
import { WebhookTrigger } from '../../core/webhook-trigger.js'
import { Router } from '../../core/router.js'
import { routePattern } from '../../core/trigger-variables.js'
import { createListener } from '../../adapters/node/create-listener.js'
import { openPostgres, openSqlite } from '../executions/open-store.js'
import { definitionFilesIn } from './definition-files.js'
import { requireTypeScript, TYPESCRIPT } from './import-module.js'
import { loadNodeTypes } from './load-node-types.js'
import { type FileChange, type FileProblem, WorkflowFiles } from './workflow-files.js'
import { DeliveryLog } from './delivery-log.js'
import { composeHandlers, devHandlers } from './served-handlers.js'
import { createDevReporter, type DevReporter, type WorkflowEntry } from './dev-reporter.js'
import { createDevLogger } from './dev-logger.js'
import { watchFiles } from './watch-files.js'


/** How long a stopping server waits for deliveries in flight. */
const CLOSE_GRACE_MS = 5000

interface DevPlan {
  folders: string[]
  files: string[]
  nodes: string[]
  port: number
  host: string
  store: { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string }
}

function plan(args: ParsedArgs, cwd: string): DevPlan {
  if (args.positionals.length === 0) throw new UsageError('needs the files or folders of workflow definitions to serve')
  const db = stringOption(args, 'db')
  const pg = stringOption(args, 'pg')
  const memory = flag(args, 'memory')
  if ([db !== undefined, pg !== undefined, memory].filter(Boolean).length > 1) throw new UsageError('choose one store: --db <file>, --memory or --pg <url>')
  if (stringOption(args, 'schema') !== undefined && pg === undefined) throw new UsageError('--schema goes with --pg')
  const host = stringOption(args, 'host') ?? '127.0.0.1'
  if (host === '') throw new UsageError('--host needs an address')
  const folders: string[] = []
  const files: string[] = []
  for (const given of args.positionals) {
    const path = resolve(cwd, given)
    if (!existsSync(path)) throw new CliFailure(`no such file or folder: ${given}`)
    if (statSync(path).isDirectory()) folders.push(path)
    else files.push(path)
  }
  return {
    folders,
    files,
    nodes: stringList(args, 'nodes'),
    port: integerOption(args, 'port', 3000, 0, 65535),
    host,
    store: memory ? { kind: 'memory' } : pg !== undefined ? { kind: 'postgres', url: pg, schema: stringOption(args, 'schema') } : { kind: 'sqlite', file: db ?? 'hookflow.db' },
  }
}

async function openDevStore(choice: DevPlan['store'], cwd: string): Promise<{ store?: Store; label: string; database?: string }> {
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

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CliFailure(`port ${port} on ${host} is in use: stop what runs there, or pass --port`))
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CliFailure(`cannot listen on ${host}: no such local address`))
      else reject(new CliFailure(`cannot listen on ${host}:${port}: ${oneLine(error)}`))
    })
    server.listen(port, host, () => resolvePromise())
  })
}

function origin(server: Server, host: string): string {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return `http://${shown}:${port}`
}

export async function runDev(args: ParsedArgs, context: CommandContext): Promise<number> {
  const devPlan = plan(args, context.cwd)
  const definitionFiles = [...devPlan.files]
  for (const folder of devPlan.folders) definitionFiles.push(...(await definitionFilesIn(folder)))
  const nodeFiles = new Set(devPlan.nodes.map((name) => resolve(context.cwd, name)))
  const toLoad = definitionFiles.filter((file) => !nodeFiles.has(file))
  // Say what to install before anything starts, not as a problem of each file.
  if ([...toLoad, ...nodeFiles].some((file) => TYPESCRIPT.has(extname(file)))) await requireTypeScript(context.cwd)
  const nodeTypes = await loadNodeTypes(devPlan.nodes, context.cwd)
  const reporter = createDevReporter(context.output, { json: context.json, cwd: context.cwd })
  const opened = await openDevStore(devPlan.store, context.cwd)
  let engine: Engine
  try {
    engine = createEngine({ ...(opened.store ? { store: opened.store } : {}), nodeTypes, logger: createDevLogger((level, message) => reporter.log(level, message)) })
  } catch (error) {
    await opened.store?.close?.()
    throw new CliFailure(oneLine(error), { cause: error })
  }
  return serve(engine, devPlan, toLoad, nodeFiles, opened, reporter, context)
}

async function serve(
  engine: Engine,
  devPlan: DevPlan,
  toLoad: string[],
  nodeFiles: ReadonlySet<string>,
  opened: { label: string; database?: string },
  reporter: DevReporter,
  context: CommandContext,
): Promise<number> {
  const stop = context.stop
  const files = new WorkflowFiles(engine, { cwd: context.cwd })
  const trigger = new WebhookTrigger({ engine })
  let router: { revision: number; router: Router } | undefined
  const workflowAt = (pathname: string): string | undefined => {
    if (router?.revision !== engine.revision) router = { revision: engine.revision, router: new Router(trigger.basePath, engine.workflows()) }
    const rest = router.router.rest(pathname)
    return rest === undefined ? undefined : router.router.match(rest)?.workflow.key
  }
  const deliveries = new DeliveryLog(engine, workflowAt, (line) => reporter.delivery(line))
  engine.on('warning', (warning) => reporter.log('warn', `${warning.message} (workflow ${warning.workflowKey})`))
  const handler = composeHandlers(devHandlers({ trigger, deliveries }), `hookflow dev serves workflows under ${trigger.basePath}`)
  const server = createServer(createListener(handler, { onError: (error) => reporter.log('error', oneLine(error)) }))

  let serverOrigin = ''
  const entry = (definition: WorkflowDefinition): WorkflowEntry => {
    const compiled = engine.getWorkflow(definition.key)!
    const path = definition.trigger.path
    return {
      key: definition.key,
      mode: definition.sync ? 'sync' : 'async',
      methods: definition.trigger.methods ?? ['POST'],
      enabled: definition.enabled !== false,
      url: path === undefined ? trigger.urlFor(definition.key, serverOrigin) : `${serverOrigin}${routePattern(trigger.basePath, compiled)}`,
      file: files.fileOf(definition.key) ?? '',
    }
  }

  const registered: WorkflowDefinition[] = []
  const problems: FileProblem[] = []
  try {
    for (const file of toLoad) {
      const change = await files.load(file)
      registered.push(...change.registered)
      problems.push(...change.problems)
    }
    await engine.start()
    await listen(server, devPlan.port, devPlan.host)
  } catch (error) {
    await engine.close().catch(() => undefined)
    throw error
  }
  serverOrigin = origin(server, devPlan.host)
  const watched = [...devPlan.folders, ...devPlan.files]
  reporter.listening({ url: serverOrigin, store: opened.label, database: opened.database, workflows: registered.map(entry), problems, watching: watched })

  // One reload at a time, in the order the changes came.
  let reloads = Promise.resolve()
  const reload = (file: string): void => {
    reloads = reloads.then(async () => {
      const change: FileChange = existsSync(file) ? await files.load(file) : files.remove(file)
      if (change.registered.length > 0) reporter.registered(change.registered.map(entry))
      for (const key of change.removed) reporter.unregistered(key, file)
      reporter.problems(change.problems)
      for (const key of change.kept) reporter.kept(key, file)
    }).catch((error: unknown) => reporter.log('error', `${file}: ${oneLine(error)}`))
  }
  const watcher = watchFiles({ folders: devPlan.folders, files: devPlan.files }, reload, {
    ignore: nodeFiles,
    onError: (error) => reporter.log('error', `watching stopped: ${oneLine(error)}`),
  })

  await new Promise<void>((resolveStop) => {
    if (stop.aborted) resolveStop()
    else stop.addEventListener('abort', () => resolveStop(), { once: true })
  })
  watcher.close()
  await reloads
  await new Promise<void>((resolveClose) => {
    server.close(() => resolveClose())
    server.closeIdleConnections()
    // A sync delivery still waiting gets a few seconds to be answered, then its socket goes.
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref()
  })
  // The memory store runs what is queued before it closes; a durable one keeps it for the next start.
  if (!engine.store.durable) await engine.idle()
  await deliveries.flush()
  await engine.close()
  reporter.closed()
  return 0
}
