/**
 * @module
 * OpenTelemetry spans and metrics of executions and node runs, through `@opentelemetry/api`
 * only: with no SDK registered every call is the API's no-op. One span per execution attempt
 * (a child of the delivery's span, also in another process, through `$context.trace`), one
 * child span per node run.
 *
 * ```ts
 * const telemetry = new EngineTelemetry({})             // the global providers
 * const run = telemetry.executionStarted(execution)      // undefined while nothing records
 * run?.job(job); run?.end(finalRecord)
 * ```
 */
import {
  type Attributes,
  type Counter,
  context as otelContext,
  type Histogram,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
  type TracerProvider,
  type UpDownCounter,
} from '@opentelemetry/api'
import type { ErrorInfo, ExecutionRecord, JobRecord, TriggerContext } from '../execution.js'
import { parentContext, stampTrace } from './trace-carrier.js'


export const INSTRUMENTATION_NAME = 'hookflow'

/**
 * The OpenTelemetry providers an engine makes its spans and metrics with.
 *
 * @example
 * ```ts
 * import { trace, metrics } from '@opentelemetry/api'
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine({ telemetry: { tracerProvider: trace.getTracerProvider(), meterProvider: metrics.getMeterProvider() } })
 * ```
 */
export interface TelemetryOptions {
  /** Default: the global one (`trace.getTracerProvider()`), a no-op until an SDK registers. */
  tracerProvider?: TracerProvider
  /** Default: the global one at `createEngine` time; register the SDK first. */
  meterProvider?: MeterProvider
}

export const ATTR = {
  workflowKey: 'hookflow.workflow.key',
  executionId: 'hookflow.execution.id',
  executionStatus: 'hookflow.execution.status',
  attempt: 'hookflow.execution.attempt',
  nodeKey: 'hookflow.node.key',
  nodeType: 'hookflow.node.type',
  nodeStatus: 'hookflow.node.status',
} as const

function recordError(span: Span, error: ErrorInfo | null, status: string): void {
  if (error) span.recordException({ name: error.name ?? 'Error', message: error.message, ...(error.code ? { code: error.code } : {}) })
  span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? status })
}

/** One execution attempt being traced: its span, and its node runs as child spans. */
export class ExecutionTrace {
  readonly span: Span
  readonly #tracer: Tracer
  readonly #execution: ExecutionRecord

  constructor(tracer: Tracer, span: Span, execution: ExecutionRecord) {
    this.#tracer = tracer
    this.span = span
    this.#execution = execution
  }

  /** A finished node run, as a span with its own start and end times. */
  job(job: JobRecord): void {
    const parent = trace.setSpan(otelContext.active(), this.span)
    const attributes: Attributes = {
      [ATTR.workflowKey]: this.#execution.workflowKey,
      [ATTR.executionId]: this.#execution.id,
      [ATTR.nodeKey]: job.nodeKey,
      [ATTR.nodeType]: job.type,
      [ATTR.nodeStatus]: job.status,
    }
    if (job.attempts !== undefined) attributes[ATTR.attempt] = job.attempts
    const span = this.#tracer.startSpan(`node ${job.nodeKey}`, { kind: SpanKind.INTERNAL, startTime: job.startedAt, attributes }, parent)
    if (job.status === 'error' || job.status === 'failed' || job.status === 'aborted') recordError(span, job.error, job.status)
    span.end(job.finishedAt)
  }

  /** The attempt's end: a final record, or `parked` (a delay or a retry's wait; a later attempt gets a span of its own). */
  end(final: ExecutionRecord | 'parked'): void {
    if (final === 'parked') {
      this.span.setAttribute(ATTR.executionStatus, 'queued')
      this.span.end()
      return
    }
    this.span.setAttribute(ATTR.executionStatus, final.status)
    if (final.reason) this.span.setAttribute('hookflow.execution.reason', final.reason)
    if (final.status !== 'resolved') recordError(this.span, final.error, final.status)
    this.span.end(final.finishedAt ?? undefined)
  }
}

export class EngineTelemetry {
  readonly #tracer: Tracer
  readonly #executionDuration: Histogram
  readonly #queueWait: Histogram
  readonly #waiting: UpDownCounter
  readonly #nodeDuration: Histogram
  readonly deliveries: Counter
  /** The tracer the webhook core's delivery spans come from too. */
  get tracer(): Tracer {
    return this.#tracer
  }

  constructor(options: TelemetryOptions) {
    this.#tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME)
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME)
    this.deliveries = meter.createCounter('hookflow.deliveries', { description: 'Webhook deliveries answered, by workflow and status code', unit: '{delivery}' })
    this.#executionDuration = meter.createHistogram('hookflow.execution.duration', { description: 'Time from an execution attempt starting to its end, by workflow and final status', unit: 's' })
    this.#queueWait = meter.createHistogram('hookflow.execution.queue_wait', { description: 'Time an async execution waited between being stored and starting', unit: 's' })
    this.#waiting = meter.createUpDownCounter('hookflow.executions.waiting', { description: 'Async executions stored and not yet started (summed over processes)', unit: '{execution}' })
    this.#nodeDuration = meter.createHistogram('hookflow.node.duration', { description: 'Time a node run took, by node type and job status', unit: 's' })
  }

  /** A programmatic trigger inside a recording span: the execution continues that trace. */
  stampActive(context: TriggerContext): void {
    const active = trace.getActiveSpan()
    if (active?.isRecording() && context.trace === undefined) stampTrace(context, active.spanContext())
  }

  /** An async execution went into the queue (stored, parked, or retried). */
  queued(workflowKey: string): void {
    this.#waiting.add(1, { [ATTR.workflowKey]: workflowKey })
  }

  /** An attempt starts: metrics, and a span when something records it. */
  executionStarted(execution: ExecutionRecord): ExecutionTrace | undefined {
    if (!execution.sync) {
      this.#waiting.add(-1, { [ATTR.workflowKey]: execution.workflowKey })
      if (execution.attempts === 1 && execution.startedAt !== null) {
        this.#queueWait.record(Math.max(execution.startedAt - execution.createdAt, 0) / 1000, { [ATTR.workflowKey]: execution.workflowKey })
      }
    }
    const parent = parentContext(execution.context.trace) ?? otelContext.active()
    const span = this.#tracer.startSpan(
      `workflow ${execution.workflowKey}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [ATTR.workflowKey]: execution.workflowKey,
          [ATTR.executionId]: execution.id,
          [ATTR.attempt]: execution.attempts,
          'hookflow.execution.sync': execution.sync,
        },
      },
      parent,
    )
    return span.isRecording() ? new ExecutionTrace(this.#tracer, span, execution) : undefined
  }

  jobFinished(job: JobRecord): void {
    this.#nodeDuration.record(Math.max(job.finishedAt - job.startedAt, 0) / 1000, { [ATTR.nodeType]: job.type, [ATTR.nodeStatus]: job.status })
  }

  executionFinished(final: ExecutionRecord): void {
    if (final.finishedAt === null) return
    const duration = Math.max(final.finishedAt - (final.startedAt ?? final.createdAt), 0) / 1000
    this.#executionDuration.record(duration, { [ATTR.workflowKey]: final.workflowKey, [ATTR.executionStatus]: final.status })
  }
}
