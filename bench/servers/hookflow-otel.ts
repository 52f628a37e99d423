/**
 * hookflow through `hookflow/node` as `servers/hookflow.ts`, with the OpenTelemetry SDK
 * registered as an application would (the async-hooks context manager, the W3C propagator, a
 * tracer provider sampling every span, a meter provider with a reader): what tracing and metrics
 * cost per delivery. Spans go to an exporter that counts and drops them, so memory stays flat.
 */
import { createServer } from 'node:http'
import { context, metrics, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, type ReadableSpan, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { createEngine, createMemoryStore, WebhookTrigger } from '../../dist/index.js'
import { createListener } from '../../dist/adapters/node/index.js'
import { asyncWorkflow, syncWorkflow } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

let exported = 0
const dropping: SpanExporter = {
  export(spans: ReadableSpan[], done) {
    exported += spans.length
    done({ code: 0 })
  },
  shutdown: async () => {},
}
class Reader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] }))
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }))

const engine = createEngine({ store: createMemoryStore() })
engine.register(syncWorkflow)
engine.register(asyncWorkflow)
const trigger = new WebhookTrigger({ engine })
serveBench(createServer(createListener(trigger)), { idle: () => engine.idle() })
process.on('exit', () => process.stderr.write(`spans exported: ${exported}\n`))
