/**
 * @module
 * The JSON API under `<basePath>/api/`, route by route. Each route answers one method; another
 * gets 405 with `Allow`, an unknown path 404.
 *
 * | Route | Answer |
 * |---|---|
 * | `GET workflows` | workflows with URL, variables, nodes, counts over 24 hours |
 * | `GET executions?workflow=&status=&since=&cursor=&limit=` | `{ items, nextCursor }`, newest first |
 * | `GET executions/<id>` | the record with its context and jobs |
 * | `POST executions/<id>/retry` `cancel` `replay` | `{ execution }` |
 * | `POST workflows/<key>/deliveries` | the answer a sender would get |
 * | `POST sample-paths` | `{ source, paths, templates }` for a pasted sample |
 * | `GET events` | Server-Sent Events |
 */
import { methodNotAllowed, notFound } from './answers.js'
import type { InspectorContext } from './inspector-context.js'
import { EXECUTION_ACTIONS, type ExecutionAction, runExecutionAction } from './routes/execution-actions.js'
import { getExecution, listExecutions } from './routes/executions.js'
import { samplePaths } from './routes/sample-paths.js'
import { sendTestDelivery } from './routes/test-delivery.js'
import { listWorkflows } from './routes/workflows.js'

interface Route {
  method: 'GET' | 'POST'
  run(): Promise<Response> | Response
}

/** Answers `path`, the part after `<basePath>/api/`. */
export async function routeApi(context: InspectorContext, request: Request, path: string): Promise<Response> {
  const route = match(context, request, path)
  if (!route) throw notFound(`No inspector API route "${path}"`)
  const method = request.method === 'HEAD' ? 'GET' : request.method
  if (method !== route.method) throw methodNotAllowed(route.method)
  return route.run()
}

function match(context: InspectorContext, request: Request, path: string): Route | undefined {
  const segments = decodeSegments(path)
  if (!segments) return undefined
  const [resource, id, action, extra] = segments
  if (extra !== undefined) return undefined
  if (resource === 'workflows') {
    if (id === undefined) return { method: 'GET', run: () => listWorkflows(context, request) }
    if (action === 'deliveries') return { method: 'POST', run: () => sendTestDelivery(context, id, request) }
    return undefined
  }
  if (resource === 'executions') {
    if (id === undefined) return { method: 'GET', run: () => listExecutions(context, request) }
    if (action === undefined) return { method: 'GET', run: () => getExecution(context, id) }
    if ((EXECUTION_ACTIONS as readonly string[]).includes(action)) {
      return { method: 'POST', run: () => runExecutionAction(context, id, action as ExecutionAction) }
    }
    return undefined
  }
  if (id !== undefined) return undefined
  if (resource === 'events') return { method: 'GET', run: () => context.events.open(request) }
  if (resource === 'sample-paths') return { method: 'POST', run: () => samplePaths(request) }
  return undefined
}

/** The path's segments, percent-decoded; undefined for an empty segment or a malformed escape. */
function decodeSegments(path: string): string[] | undefined {
  const segments = path.split('/')
  try {
    const decoded = segments.map((segment) => decodeURIComponent(segment))
    return decoded.every((segment) => segment !== '') ? decoded : undefined
  } catch {
    return undefined
  }
}
