/**
 * @module
 * The OpenTelemetry SDK as an application would register it, with in-memory exporters: the
 * W3C propagator and the async-hooks context manager globally, and a tracer and meter provider
 * to hand to `createEngine({ telemetry })`.
 *
 * ```ts
 * const otel = otelCapture()          // in a describe: registers globals before, removes after
 * createEngine({ telemetry: otel.providers })
 * otel.spans()                        // finished spans
 * await meterCapture().metrics()      // a fresh meter's data points by metric name
 * ```
 */
import { context, propagation } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, beforeEach } from 'vitest'

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A meter provider of its own, for a test that counts from zero. */
export function meterCapture(): { meterProvider: MeterProvider; metrics(): Promise<Map<string, DataPoint<unknown>[]>> } {
  const reader = new CollectingReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  return { meterProvider, metrics: () => collect(reader) }
}

async function collect(reader: MetricReader): Promise<Map<string, DataPoint<unknown>[]>> {
  const { resourceMetrics } = await reader.collect()
  const byName = new Map<string, DataPoint<unknown>[]>()
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) byName.set(metric.descriptor.name, [...(byName.get(metric.descriptor.name) ?? []), ...(metric.dataPoints as DataPoint<unknown>[])])
  }
  return byName
}

export interface OtelCapture {
  providers: { tracerProvider: BasicTracerProvider }
  spans(): ReadableSpan[]
}

export function otelCapture(): OtelCapture {
  const exporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  const manager = new AsyncLocalStorageContextManager()
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable())
    propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  })
  afterAll(() => {
    context.disable()
    propagation.disable()
  })
  beforeEach(() => exporter.reset())
  return {
    providers: { tracerProvider },
    spans: () => exporter.getFinishedSpans(),
  }
}
