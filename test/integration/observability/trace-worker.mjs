/**
 * A worker process on Postgres and BullMQ with the OpenTelemetry SDK registered as an
 * application would, exporting its finished spans as JSON lines on stdout (`span {...}`).
 * The test's own process is the receiver; this one runs what it stored.
 *
 * Plain JavaScript on the built package (npm test builds it first), like the cluster test's.
 */
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { createEngine } from '../../../dist/index.js'
import { createPostgresStore } from '../../../dist/storage/postgres/index.js'
import { createBullmqQueue } from '../../../dist/queue/bullmq/index.js'

const { PG_URL, SCHEMA, REDIS_URL, QUEUE, PREFIX } = process.env

const exporter = {
  export(spans, done) {
    for (const span of spans) {
      const line = {
        name: span.name,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        attributes: span.attributes,
      }
      process.stdout.write(`span ${JSON.stringify(line)}\n`)
    }
    done({ code: 0 })
  },
  shutdown: async () => {},
}
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })

const store = createPostgresStore({ connectionString: PG_URL, max: 4 }, { schema: SCHEMA })
const queue = createBullmqQueue({ connection: REDIS_URL, queueName: QUEUE, prefix: PREFIX, store: store.executions, concurrency: 4 })
const engine = createEngine({ store, queue, telemetry: { tracerProvider } })
engine.register({
  key: 'traced',
  trigger: { type: 'webhook', id: 'traced' },
  nodes: [{ key: 'check', type: 'condition', config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.n}}', 1] }] } } } }],
})
process.on('SIGTERM', () => void engine.close().then(() => process.exit(0)))
await engine.start()
console.log('ready')
