/**
 * @module
 * `createInspector`: the inspector as a fetch handler that mounts like a trigger. Every request
 * passes, in order: the base path (anything else is not ours), the access check (401), the
 * same-origin check for POSTs (403), then the page, its files or the JSON API. Every answer,
 * refusals included, carries the security headers.
 *
 * ```ts
 * const inspector = createInspector({ engine, trigger, auth: { username: 'admin', password: 'secret' } })
 * inspector.handles('/hookflow/api/workflows') // true
 * const response = await inspector.fetch(request)
 * ```
 */
import type { Engine } from '../engine/engine.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { errorAnswer, inspectorError, notFound, methodNotAllowed } from './answers.js'
import { routeApi } from './api-routes.js'
import { EventHub } from './event-hub.js'
import { type InspectorAuth, inspectorAuth } from './inspector-auth.js'
import type { InspectorContext, InspectorTrigger } from './inspector-context.js'
import { pageAsset } from './page/page-assets.js'
import { isSameOrigin } from './same-origin.js'
import { secured } from './security-headers.js'

/**
 * The path the inspector is served under unless `basePath` says otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_INSPECTOR_PATH } from 'hookflow/inspector'
 *
 * console.log(`open http://localhost:3000${DEFAULT_INSPECTOR_PATH}/`) // /hookflow/
 * ```
 */
export const DEFAULT_INSPECTOR_PATH = '/hookflow'

/**
 * What `createInspector` takes: the engine, its trigger(s), where to serve, and who may look.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createInspector, type InspectorOptions } from 'hookflow/inspector'
 *
 * const engine = createEngine()
 * const options: InspectorOptions = {
 *   engine,
 *   trigger: new WebhookTrigger({ engine }),
 *   basePath: '/admin/hookflow',
 *   auth: { username: 'admin', password: process.env.INSPECTOR_PASSWORD! },
 * }
 * const inspector = createInspector(options)
 * ```
 */
export interface InspectorOptions {
  /** The engine to inspect. */
  engine: Engine
  /** The trigger (or triggers) that serve the engine's workflows: URLs and test deliveries. */
  trigger: InspectorTrigger | readonly InspectorTrigger[]
  /** Where the page and its API live. Default `/hookflow`. */
  basePath?: string
  /**
   * Required: `{ username, password }` (HTTP Basic), `{ authenticate(request) }`, or `false`
   * written out to leave the inspector open (local development only).
   */
  auth: InspectorAuth | false
  /** How often an idle event stream gets a keep-alive comment, in ms. Default 15 s. */
  keepAliveMs?: number
  /** Unexpected failures (answered 500); default `console.error`. */
  onError?: (error: unknown) => void
}

/**
 * The inspector: a fetch handler for its page and JSON API, and which paths are its own.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createInspector, type Inspector } from 'hookflow/inspector'
 *
 * const engine = createEngine()
 * const trigger = new WebhookTrigger({ engine })
 * const inspector: Inspector = createInspector({ engine, trigger, auth: false }) // local development only
 * const fetch = (request: Request) => (inspector.handles(new URL(request.url).pathname) ? inspector.fetch(request) : trigger.fetch(request))
 * ```
 */
export interface Inspector {
  /** The path the inspector is served under. */
  readonly basePath: string
  /** The fetch handler; an arrow property, so `{ fetch: inspector.fetch }` works detached. */
  readonly fetch: (request: Request) => Promise<Response>
  /** True when `pathname` is the inspector's (`basePath` or under it). */
  handles(pathname: string): boolean
  /** Ends every open event stream (the engine's `close()` does too). */
  close(): void
}

const READS = new Set(['GET', 'HEAD'])

/**
 * Creates the inspector for an engine: a page to watch, retry, cancel and replay executions, and the JSON API it reads.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { createListener } from 'hookflow/node'
 * import { createInspector } from 'hookflow/inspector'
 *
 * const engine = createEngine()
 * const trigger = new WebhookTrigger({ engine })
 * const inspector = createInspector({ engine, trigger, auth: { username: 'admin', password: 's3cret-passphrase' } })
 * http.createServer(createListener({
 *   fetch: (request) => (inspector.handles(new URL(request.url).pathname) ? inspector.fetch(request) : trigger.fetch(request)),
 * })).listen(3000)
 * ```
 */
export function createInspector(options: InspectorOptions): Inspector {
  if (!options?.engine) throw new TypeError('createInspector needs an engine: createInspector({ engine, trigger, auth })')
  const triggers = [options.trigger].flat() as InspectorTrigger[]
  if (triggers.length === 0 || triggers.some((trigger) => typeof trigger?.fetch !== 'function')) {
    throw new TypeError('createInspector needs the WebhookTrigger (or triggers) that serve the engine: createInspector({ engine, trigger, auth })')
  }
  if (triggers.some((trigger) => trigger.engine !== options.engine)) {
    throw new TypeError('Every trigger given to createInspector must serve the same engine (new WebhookTrigger({ engine }))')
  }
  const access = inspectorAuth(options.auth)
  const basePath = normalizeBasePath(options.basePath ?? DEFAULT_INSPECTOR_PATH)
  const onError = options.onError ?? ((error: unknown) => console.error('[hookflow inspector]', error))
  const events = new EventHub(options.engine, options.keepAliveMs)
  const context: InspectorContext = { engine: options.engine, triggers, events }

  const restOf = (pathname: string): string | undefined => {
    if (pathname === basePath) return ''
    return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined
  }

  const handle = async (request: Request): Promise<Response> => {
    const rest = restOf(new URL(request.url).pathname)
    if (rest === undefined) throw notFound()
    if (!(await access.check(request))) {
      throw inspectorError('unauthorized', 'Missing or invalid credentials', 401, access.challenge ? { 'www-authenticate': access.challenge } : undefined)
    }
    if (!READS.has(request.method) && !isSameOrigin(request)) {
      throw inspectorError('cross_site', 'Cross-site requests may not change anything here', 403)
    }
    if (rest.startsWith('/api/')) return routeApi(context, request, rest.slice('/api/'.length))
    if (rest === '') {
      // The page links its files relatively: it must be served from the path with the slash.
      return new Response(null, { status: 308, headers: { location: `${basePath}/${new URL(request.url).search}` } })
    }
    const asset = pageAsset(rest)
    if (!asset) throw notFound()
    if (!READS.has(request.method)) throw methodNotAllowed('GET')
    return asset
  }

  const fetch = async (request: Request): Promise<Response> => {
    let response: Response
    try {
      response = await handle(request)
    } catch (error) {
      if (HookflowError.is(error)) response = errorAnswer(error)
      else {
        onError(error)
        response = errorAnswer(inspectorError('internal_error', 'Internal error', 500))
      }
    }
    return secured(response)
  }

  return {
    basePath,
    fetch,
    handles: (pathname) => restOf(pathname) !== undefined,
    close: () => events.close(),
  }
}

function normalizeBasePath(basePath: string): string {
  if (typeof basePath !== 'string' || !basePath.startsWith('/') || (basePath.endsWith('/') && basePath !== '/')) {
    throw new TypeError(`basePath must start with "/" and not end with one, got "${String(basePath)}"`)
  }
  return basePath === '/' ? '' : basePath
}
