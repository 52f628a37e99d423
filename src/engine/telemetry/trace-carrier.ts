/**
 * @module
 * The trace context an execution carries from the delivery that created it to whatever process
 * runs it: `$context.trace = { traceparent, tracestate? }`, in W3C Trace Context's own format,
 * written and read here so a worker continues the trace without a propagator of its own.
 *
 * ```ts
 * const carrier = traceCarrier(span.spanContext())   // { traceparent: '00-<trace>-<span>-01' }
 * const parent = parentContext(carrier)               // an OpenTelemetry Context for startSpan
 * ```
 */
import { type Context, ROOT_CONTEXT, type SpanContext, trace, TraceFlags, createTraceState } from '@opentelemetry/api'
import type { TriggerContext } from '../execution.js'
import { carriedJson, withJsonText } from '../json-text.js'

/**
 * The W3C trace context an async execution carries from the delivery's span to the worker's.
 *
 * @example
 * ```ts
 * import type { TraceCarrier } from 'hookflow'
 *
 * const carrier: TraceCarrier = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }
 * ```
 */
export interface TraceCarrier {
  /** The W3C `traceparent` of the delivery's span. */
  traceparent: string
  /** The W3C `tracestate`, when there was one. */
  tracestate?: string
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

export function traceCarrier(spanContext: SpanContext): TraceCarrier {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')
  const carrier: TraceCarrier = { traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}` }
  const state = spanContext.traceState?.serialize()
  if (state) carrier.tracestate = state
  return carrier
}

/** The context a span continuing `carrier` starts in; undefined for anything that is not a valid carrier. */
export function parentContext(carrier: unknown): Context | undefined {
  if (typeof carrier !== 'object' || carrier === null) return undefined
  const { traceparent, tracestate } = carrier as Partial<TraceCarrier>
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  }
  if (typeof tracestate === 'string' && tracestate) spanContext.traceState = createTraceState(tracestate)
  return trace.setSpanContext(ROOT_CONTEXT, spanContext)
}

/**
 * Puts the carrier into the context as `trace` before it is stored, keeping the JSON text the
 * core attached in step (the context must read back as it was written).
 */
export function stampTrace(context: TriggerContext, spanContext: SpanContext): void {
  const carrier = traceCarrier(spanContext)
  const text = carriedJson(context)
  context.trace = carrier
  if (text !== undefined) withJsonText(context, `${text.slice(0, -1)},"trace":${JSON.stringify(carrier)}}`)
}
