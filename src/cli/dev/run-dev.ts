/**
 * @module
 * What `hookflow dev` does (see `commands/dev.ts` for its options): binds the port, opens the
 * store, loads the node types and definition files, serves the composed handlers, reloads
 * changed files, and on SIGINT / SIGTERM closes the watchers, the server and the engine,
 * resolving 0.
 *
 * ```ts
 * const code = await runDev(parseCommandArgs(['workflows/', '--memory'], devCommand.options), context)
 * ```
 */
import { createInspector } from '../../inspector/create-inspector.js'
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { CliFailure, oneLine } from '../cli-errors.js'
import type { CommandContext } from '../command.js'
import type { ParsedArgs } from '../parse-command-args.js'
import { createEngine } from '../../create-engine.js'
import type { Engine } from '../../engine/engine.js'
import type { WorkflowDefinition } from '../../engine/definition.js'
import { WebhookTrigger } from '../../core/webhook-trigger.js'
import { Router } from '../../core/router.js'
import { routePattern } from '../../core/trigger-variables.js'
import { definitionFilesIn } from './definition-files.js'
import { devPlan, openDevStore } from './dev-plan.js'
import { bindDevServer } from './dev-server.js'
import { requireTypeScript, TYPESCRIPT } from './import-module.js'
import { loadNodeTypes } from './load-node-types.js'
import { type FileChange, type FileProblem, WorkflowFiles } from './workflow-files.js'
import { DeliveryLog } from './delivery-log.js'
import { composeHandlers, devHandlers } from './served-handlers.js'
import { createDevReporter, type WorkflowEntry } from './dev-reporter.js'
import { createDevLogger } from './dev-logger.js'
import { watchFiles } from './watch-files.js'

/** Resolves once the stop signal fires. */
const stopped = (signal: AbortSignal): Promise<void> =>
  new Promise((resolveStop) => {
    if (signal.aborted) resolveStop()
    else signal.addEventListener('abort', () => resolveStop(), { once: true })
  })

export async function runDev(args: ParsedArgs, context: CommandContext): Promise<number> {
  const plan = devPlan(args, context.cwd)
  // Listening from the start: a Ctrl-C while starting stops cleanly once started.
  const stop = context.stop
  const nodeFiles = new Set(plan.nodes.map((name) => resolve(context.cwd, name)))
  const found = [...plan.files]
  for (const folder of plan.folders) found.push(...(await definitionFilesIn(folder)))
  const toLoad = found.filter((file) => !nodeFiles.has(file))
  // Say what to install before anything starts, not as a problem of each file.
  if ([...toLoad, ...nodeFiles].some((file) => TYPESCRIPT.has(extname(file)))) await requireTypeScript(context.cwd)
  const reporter = createDevReporter(context.output, { json: context.json, cwd: context.cwd })
  const server = await bindDevServer(plan.port, plan.host, (error) => reporter.log('error', oneLine(error)))
  let engine: Engine | undefined
  let opened: Awaited<ReturnType<typeof openDevStore>> | undefined
  try {
    const nodeTypes = await loadNodeTypes(plan.nodes, context.cwd)
    opened = await openDevStore(plan.store, context.cwd)
    engine = createEngine({ ...(opened.store ? { store: opened.store } : {}), nodeTypes, logger: createDevLogger((level, message) => reporter.log(level, message)) })
  } catch (error) {
    await opened?.store?.close?.()
    await server.close()
    throw error instanceof CliFailure ? error : new CliFailure(oneLine(error), { cause: error })
  }

  const files = new WorkflowFiles(engine, { cwd: context.cwd })
  const trigger = new WebhookTrigger({ engine })
  let routes: { revision: number; router: Router } | undefined
  const workflowAt = (pathname: string): string | undefined => {
    if (routes?.revision !== engine.revision) routes = { revision: engine.revision, router: new Router(trigger.basePath, engine.workflows()) }
    const rest = routes.router.rest(pathname)
    return rest === undefined ? undefined : routes.router.match(rest)?.workflow.key
  }
  const deliveries = new DeliveryLog(engine, workflowAt, (line) => reporter.delivery(line))
  engine.on('warning', (warning) => reporter.log('warn', `${warning.message} (workflow ${warning.workflowKey})`))
  const entry = (definition: WorkflowDefinition): WorkflowEntry => {
    const { path } = definition.trigger
    return {
      key: definition.key,
      mode: definition.sync ? 'sync' : 'async',
      methods: definition.trigger.methods ?? ['POST'],
      enabled: definition.enabled !== false,
      url: path === undefined ? trigger.urlFor(definition.key, server.origin) : `${server.origin}${routePattern(trigger.basePath, engine!.getWorkflow(definition.key)!)}`,
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
  } catch (error) {
    await engine.close().catch(() => undefined)
    await server.close()
    throw error
  }
  // Open without credentials only where nobody else can reach it: on a loopback address.
  const inspector = isLoopback(plan.host) ? createInspector({ engine, trigger, auth: false }) : undefined
  if (!inspector) reporter.log('warn', `the inspector is not served on ${plan.host}: it has no credentials in dev, so it is served on a loopback --host only`)
  server.serve(composeHandlers(devHandlers({ trigger, deliveries, inspector })))
  const watched = [...plan.folders, ...plan.files]
  const inspectorUrl = inspector ? `${server.origin}${inspector.basePath}/` : undefined
  reporter.listening({ url: server.origin, store: opened.label, database: opened.database, inspector: inspectorUrl, workflows: registered.map(entry), problems, watching: watched })

  // One reload at a time, in the order the changes came.
  let reloads = Promise.resolve()
  const reload = (file: string): void => {
    reloads = reloads
      .then(async () => {
        const change: FileChange = existsSync(file) ? await files.load(file) : files.remove(file)
        if (change.registered.length > 0) reporter.registered(change.registered.map(entry))
        for (const key of change.removed) reporter.unregistered(key, file)
        reporter.problems(change.problems)
        for (const key of change.kept) reporter.kept(key, file)
      })
      .catch((error: unknown) => reporter.log('error', `${file}: ${oneLine(error)}`))
  }
  const watcher = watchFiles({ folders: plan.folders, files: plan.files }, reload, {
    ignore: nodeFiles,
    onError: (error) => reporter.log('error', `watching stopped: ${oneLine(error)}`),
  })

  await stopped(stop)
  watcher.close()
  await reloads
  // Its event streams would otherwise hold the server open.
  inspector?.close()
  await server.close()
  // The memory store runs what is queued before it closes; a durable one keeps it for the next start.
  if (!engine.store.durable) await engine.idle()
  await deliveries.flush()
  await engine.close()
  reporter.closed()
  return 0
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
