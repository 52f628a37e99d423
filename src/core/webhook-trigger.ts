/**
 * @module
 * `WebhookTrigger`: the fetch handler every mount uses. Takes any standard `Request`, returns
 * a `Response`, and makes every decision of the contract's status table: route (404), method
 * (405), credentials (401), content type (415), body limit (413), parse (400), store (503),
 * then the async answer or the sync run's answer (Response node, 200/500, 408).
 *
 * ```ts
 * const engine = createEngine()
 * engine.register(definition)
 * const trigger = new WebhookTrigger({ engine })
 * export default { fetch: trigger.fetch }          // Bun, Deno, Workers, Hono ...
 * ```
 */
import type { Engine } from '../engine/engine.js'
import type { CompiledWorkflow } from '../engine/compile-workflow.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { BASIC_CHALLENGE } from './basic-auth.js'
import { compileTrigger } from './compile-trigger.js'
import { DEFAULT_JSON_DEPTH } from './parse-json.js'
import { internalError, methodNotAllowed, notFound, unauthorized } from './http-errors.js'
import { readContext } from './read-context.js'
import { type FastRequest, REMOTE_ADDRESS } from '../http/fast-request.js'
import { Router } from './router.js'
import { splitUrl } from './split-url.js'
import { answerSync } from './answer-sync.js'
import { asyncAnswer } from './async-answer.js'
import { toResponse } from './to-response.js'
import { type TriggerVariable, triggerUrl, triggerVariables } from './trigger-variables.js'
import { checkRequestLimits, DEFAULT_HEADER_LIMIT, DEFAULT_QUERY_LIMIT, nonNegativeInteger } from './limits/request-limits.js'
import { RateLimits } from './limits/rate-limits.js'
import { BodyDeadlines } from './limits/body-deadlines.js'
import { DeliverySpan } from './delivery-span.js'
import { stampTrace } from '../engine/telemetry/trace-carrier.js'

/**
 * The path webhooks are served under unless `basePath` says otherwise (NocoBase's).
 *
 * @example
 * ```ts
 * import { DEFAULT_BASE_PATH } from 'hookflow'
 *
 * const url = `https://example.com${DEFAULT_BASE_PATH}/pay` // https://example.com/api/webhook:trigger/pay
 * ```
 */
export const DEFAULT_BASE_PATH = '/api/webhook:trigger'
/**
 * The largest body a trigger reads unless `bodyLimit` says otherwise: 1 MiB (then 413).
 *
 * @example
 * ```ts
 * import { createEngine, DEFAULT_BODY_LIMIT, WebhookTrigger } from 'hookflow'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine(), bodyLimit: 4 * DEFAULT_BODY_LIMIT })
 * ```
 */
export const DEFAULT_BODY_LIMIT = 1_048_576
/**
 * The longest a body may take to arrive unless `bodyTimeout` says otherwise: 30 s (then 408).
 *
 * @example
 * ```ts
 * import { createEngine, DEFAULT_BODY_TIMEOUT, WebhookTrigger } from 'hookflow'
 *
 * const trigger = new WebhookTrigger({ engine: createEngine(), bodyTimeout: DEFAULT_BODY_TIMEOUT / 3 })
 * ```
 */
export const DEFAULT_BODY_TIMEOUT = 30_000

/**
 * What a `WebhookTrigger` takes: its engine, base path, and request limits.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger, type WebhookTriggerOptions } from 'hookflow'
 *
 * const options: WebhookTriggerOptions = { engine: createEngine(), basePath: '/hooks', bodyLimit: 256 * 1024, bodyTimeout: 10_000 }
 * const trigger = new WebhookTrigger(options)
 * ```
 */
export interface WebhookTriggerOptions {
  /** The engine whose workflows the trigger serves. */
  engine: Engine
  /** Default `/api/webhook:trigger`, matched literally. */
  basePath?: string
  /** Largest body in bytes, counted as read. Default 1 MiB. */
  bodyLimit?: number
  /** Deepest JSON nesting accepted. Default 64. */
  jsonDepth?: number
  /** Longest time a body may take to arrive, in ms, then 408 `body_timeout`. Default 30 s; 0 = none. */
  bodyTimeout?: number
  /** Largest request headers in bytes (`name: value` plus CRLF each), then 431. Default 16 KiB. */
  headerLimit?: number
  /** Longest query string in bytes (without the `?`), then 414. Default 8 KiB. */
  queryLimit?: number
  /** Unexpected failures (answered 500). Default: a line in the engine's logger, at `error`. */
  onError?: (error: unknown) => void
  /**
   * The client's IP address for `ipAllowList` and `authenticate` hooks, from the request and
   * `fetch`'s second argument (Bun's server, Deno's info...). Default: what the Node adapters
   * put on the request (`REMOTE_ADDRESS`); a plain `Request` has none.
   */
  clientAddress?: (request: Request, platform: unknown) => string | undefined
}

/**
 * The fetch handler that serves an engine's webhooks: routes, checks, reads and parses a delivery, then answers.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'hello', sync: true, trigger: { type: 'webhook', id: 'hello' },
 *   nodes: [{ key: 'answer', type: 'response', config: { statusCode: 200, body: { ok: true } } }],
 * })
 * const trigger = new WebhookTrigger({ engine })
 * const response = await trigger.fetch(new Request('http://localhost/api/webhook:trigger/hello', {
 *   method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
 * }))
 * export default { fetch: trigger.fetch } // Bun, Deno, Workers, Hono…
 * ```
 */
export class WebhookTrigger {
  /** The engine whose workflows this trigger serves. */
  readonly engine: Engine
  /** The path webhooks are served under (`''` for `/`). */
  readonly basePath: string
  /** The largest body read, in bytes. */
  readonly bodyLimit: number
  /** The deepest JSON nesting accepted. */
  readonly jsonDepth: number
  /** The longest a body may take to arrive, in ms; 0 = no limit. */
  readonly bodyTimeout: number
  /** The largest request headers accepted, in bytes. */
  readonly headerLimit: number
  /** The longest query string accepted, in bytes. */
  readonly queryLimit: number
  readonly #rateLimits = new RateLimits()
  readonly #bodyDeadlines: BodyDeadlines | undefined
  readonly #onError: ((error: unknown) => void) | undefined
  readonly #clientAddress: (request: Request, platform: unknown) => string | undefined
  #router: Router | undefined
  #revision = -1

  constructor(options: WebhookTriggerOptions) {
    if (!options?.engine) throw new TypeError('WebhookTrigger needs an engine: new WebhookTrigger({ engine })')
    const basePath = options.basePath ?? DEFAULT_BASE_PATH
    if (!basePath.startsWith('/') || basePath.endsWith('/') && basePath !== '/') {
      throw new TypeError(`basePath must start with "/" and not end with one, got "${basePath}"`)
    }
    const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
    if (!Number.isInteger(bodyLimit) || bodyLimit < 0) throw new TypeError(`bodyLimit must be a non-negative integer`)
    this.engine = options.engine
    this.basePath = basePath === '/' ? '' : basePath
    this.bodyLimit = bodyLimit
    this.jsonDepth = options.jsonDepth ?? DEFAULT_JSON_DEPTH
    this.bodyTimeout = nonNegativeInteger('bodyTimeout', options.bodyTimeout ?? DEFAULT_BODY_TIMEOUT)
    this.headerLimit = nonNegativeInteger('headerLimit', options.headerLimit ?? DEFAULT_HEADER_LIMIT)
    this.queryLimit = nonNegativeInteger('queryLimit', options.queryLimit ?? DEFAULT_QUERY_LIMIT)
    this.#bodyDeadlines = this.bodyTimeout > 0 ? new BodyDeadlines(this.bodyTimeout) : undefined
    this.#onError = options.onError
    this.#clientAddress = options.clientAddress ?? ((request) => (request as FastRequest)[REMOTE_ADDRESS])
  }

  /** The fetch handler; an arrow property, so `{ fetch: trigger.fetch }` works detached. */
  readonly fetch = async (request: Request, platform?: unknown): Promise<Response> => {
    const { log, telemetry } = this.engine
    const began = log.debugEnabled ? performance.now() : 0
    // Split once: the span, the log lines and the routing all read it.
    const url = splitUrl(request.url)
    const delivery = new DeliverySpan(telemetry.tracer, request, url.pathname, this.basePath)
    let response: Response
    try {
      response = await delivery.run(() => this.#handle(request, platform, delivery, url))
    } catch (error) {
      response = this.#failed(error, request, url.pathname)
    }
    delivery.end(response, telemetry)
    if (began !== 0) {
      log.delivery({
        method: request.method,
        path: url.pathname,
        statusCode: response.status,
        durationMs: Math.round((performance.now() - began) * 100) / 100,
        executionId: response.headers.get('x-execution-id') ?? undefined,
      })
    }
    return response
  }

  /** The answer to a thrown error; a 5xx of the core's own is also logged (or given to `onError`). */
  #failed(error: unknown, request: Request, path: string): Response {
    const known = HookflowError.is(error)
    const response = known ? error.toResponse() : internalError().toResponse()
    if (response.status < 500) return response
    if (this.#onError && !known) this.#onError(error)
    else this.engine.log.deliveryFailed(error, { method: request.method, path, statusCode: response.status })
    return response
  }

  /**
   * True when a route of this trigger can match `pathname`: `<basePath>/<id>` for any
   * well-formed id (a workflow's or not, enabled or not: the trigger answers those, with 404
   * when no enabled workflow has it), or a registered workflow's `trigger.path` pattern. The
   * framework mounts pass every other path on (Express `next()`, Fastify's own 404).
   */
  handles(pathname: string): boolean {
    const router = this.#routes()
    const rest = router.rest(pathname)
    return rest !== undefined && router.canMatch(rest)
  }

  /** The workflow's webhook URL, e.g. `urlFor('payment-callback', 'https://example.com')`. */
  urlFor(key: string, origin = '', params: Record<string, string> = {}): string {
    return triggerUrl(this.#workflow(key), this.basePath, origin, params)
  }

  /** The declared headers, query and body paths (and path params) as template paths. */
  variables(key: string): TriggerVariable[] {
    return triggerVariables(this.#workflow(key))
  }

  async #handle(request: Request, platform: unknown, delivery: DeliverySpan, url: ReturnType<typeof splitUrl>): Promise<Response> {
    const { pathname, search } = url
    checkRequestLimits(request, search, this)
    const router = this.#routes()
    const rest = router.rest(pathname)
    const route = rest === undefined ? undefined : router.match(rest)
    if (!route) throw notFound()
    delivery.workflow = route.workflow
    const trigger = compileTrigger(route.workflow)
    if (!trigger.methods.has(request.method)) throw methodNotAllowed(trigger.allow)
    if (trigger.checkCredentials && !trigger.checkCredentials(request.headers.get('authorization'))) {
      throw unauthorized(BASIC_CHALLENGE)
    }
    const security = trigger.security
    const refusal = security && (await security.access(request, this.#clientAddress(request, platform), route.workflow.key))
    if (refusal) return refusal
    const { bodyLimit, jsonDepth } = this
    const context = await readContext(request, trigger, search, route.params, { bodyLimit, jsonDepth, bodyDeadline: this.#bodyDeadlines })
    if (delivery.span.isRecording()) stampTrace(context, delivery.span.spanContext())
    const event = security?.idempotency?.eventFor(request, context, route.workflow.key)
    this.#rateLimits.take(route.workflow)

    if (!route.workflow.sync) {
      // Rendered before storing: an answer that cannot be sent must not leave an execution behind.
      const answer = asyncAnswer(trigger, context)
      // A duplicate delivery finds the first execution: the same answer, its id.
      const { execution } = await this.engine.dispatch(route.workflow, context, event)
      return toResponse(answer, execution.id)
    }
    return answerSync(this.engine, trigger, context, request, event)
  }

  #routes(): Router {
    const revision = this.engine.revision
    if (!this.#router || revision !== this.#revision) {
      this.#router = new Router(this.basePath, this.engine.workflows())
      this.#revision = revision
    }
    return this.#router
  }

  #workflow(key: string): CompiledWorkflow {
    const workflow = this.engine.getWorkflow(key)
    if (!workflow) throw new TypeError(`No workflow "${key}" is registered`)
    return workflow
  }
}


