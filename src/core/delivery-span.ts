/**
 * @module
 * The SERVER span of one delivery, by OpenTelemetry's HTTP semantic conventions: named
 * `POST /api/webhook:trigger/:id` once the route is known, a child of the sender's (or a
 * gateway's) trace when the application's propagator accepts the incoming headers.
 *
 * ```ts
 * const delivery = startDelivery(engine.telemetry.tracer, request, pathname)
 * const response = await delivery.run(() => handle(request, delivery))
 * delivery.end(response, engine.telemetry)
 * ```
 */
import { context as otelContext, type Context, propagation, type Span, SpanKind, SpanStatusCode, type TextMapGetter, trace, type Tracer } from '@opentelemetry/api'
import type { EngineTelemetry } from '../engine/telemetry/engine-telemetry.js'
import { ATTR } from '../engine/telemetry/engine-telemetry.js'
import type { CompiledWorkflow } from '../engine/compile-workflow.js'
import { routePattern } from './trigger-variables.js'

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
}

export class DeliverySpan {
  readonly span: Span
  readonly #context: Context
  readonly #method: string
  readonly #basePath: string
  /** Set by the core once the route matched. */
  workflow: CompiledWorkflow | undefined

  constructor(tracer: Tracer, request: Request, pathname: string, basePath: string) {
    this.#method = request.method
    this.#basePath = basePath
    const parent = propagation.extract(otelContext.active(), request.headers, headerGetter)
    this.span = tracer.startSpan(
      request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': pathname } },
      parent,
    )
    this.#context = trace.setSpan(parent, this.span)
  }

  /** Runs `fn` with this span active, so what it starts (the sync run's execution span) is its child. */
  run<T>(fn: () => T): T {
    return otelContext.with(this.#context, fn)
  }

  end(response: Response, telemetry: EngineTelemetry): void {
    const status = response.status
    const attributes: Record<string, string | number> = { 'http.response.status_code': status, 'http.request.method': this.#method }
    const workflow = this.workflow
    if (workflow !== undefined) attributes[ATTR.workflowKey] = workflow.key
    telemetry.deliveries.add(1, attributes)
    const span = this.span
    if (!span.isRecording()) return span.end()
    span.setAttributes(attributes)
    if (workflow !== undefined) {
      const route = routePattern(this.#basePath, workflow)
      span.setAttribute('http.route', route)
      span.updateName(`${this.#method} ${route}`)
    }
    const executionId = response.headers.get('x-execution-id')
    if (executionId) span.setAttribute(ATTR.executionId, executionId)
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${status}` })
    span.end()
  }
}
