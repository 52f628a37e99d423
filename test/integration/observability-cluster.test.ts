import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createEngine, WebhookTrigger } from '../../src/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { createBullmqQueue } from '../../src/queue/bullmq/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'
import { pinoCapture } from '../observability/log-capture.js'
import { otelCapture } from '../observability/otel-capture.js'

const WORKER = new URL('./observability/trace-worker.mjs', import.meta.url).pathname
const postgres = await postgresService()
const redis = await redisAvailable('the cross-process tracing test')
const otel = otelCapture()

interface ExportedSpan {
  name: string
  traceId: string
  spanId: string
  parentSpanId?: string
  attributes: Record<string, unknown>
}

describe.runIf(postgres)('logging a Postgres store that was never migrated', () => {
  it('answers 503 and writes exactly one error line that says to run store.migrate()', async () => {
    const log = pinoCapture('warn')
    const store = createPostgresStore({ connectionString: postgres!.url, max: 2 }, { schema: testSchema('unmigrated') })
    const engine = createEngine({ store, logger: log.logger })
    try {
      engine.register({ key: 'pay', trigger: { type: 'webhook', id: 'pay' }, nodes: [] })
      const trigger = new WebhookTrigger({ engine })
      const response = await trigger.fetch(new Request('http://localhost/api/webhook:trigger/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
      expect(response.status).toBe(503)
      const lines = log.lines()
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatchObject({ level: 'error', errorCode: 'storage_unavailable', statusCode: 503 })
      expect(lines[0]!.msg).toContain('store.migrate()')
    } finally {
      await engine.close()
    }
  })
})

describe.runIf(postgres && redis)('tracing an async run worked by another process (Postgres + BullMQ)', () => {
  const schema = testSchema('otel')
  const prefix = testPrefix('otel')
  const QUEUE = 'otel'
  let child: ChildProcess | undefined
  afterAll(async () => {
    child?.kill('SIGKILL')
    await obliterate(QUEUE, prefix)
  })

  it('continues the delivery\'s trace in the worker: the execution span is the server span\'s child, the node spans the execution\'s', { timeout: 60_000 }, async () => {
    const store = createPostgresStore({ connectionString: postgres!.url, max: 4 }, { schema })
    await store.migrate()
    const queue = createBullmqQueue({ connection: REDIS_URL, queueName: QUEUE, prefix, store: store.executions })
    const receiver = createEngine({ store, queue, worker: false, telemetry: otel.providers })
    receiver.register({ key: 'traced', trigger: { type: 'webhook', id: 'traced' }, nodes: [] })
    const trigger = new WebhookTrigger({ engine: receiver })
    const spans: ExportedSpan[] = []
    try {
      child = spawn(process.execPath, [WORKER], {
        env: { ...process.env, PG_URL: postgres!.url, SCHEMA: schema, REDIS_URL, QUEUE, PREFIX: prefix },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((resolve, reject) => {
        child!.once('exit', (code) => reject(new Error(`the worker exited early (${code})`)))
        createInterface({ input: child!.stdout! }).on('line', (line) => {
          if (line === 'ready') resolve()
          if (line.startsWith('span ')) spans.push(JSON.parse(line.slice(5)) as ExportedSpan)
        })
      })
      const traceId = '0af7651916cd43dd8448eb211c80319c'
      const response = await trigger.fetch(
        new Request('http://localhost/api/webhook:trigger/traced', {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
          body: '{"n":1}',
        }),
      )
      expect(response.status).toBe(200)
      const executionId = response.headers.get('x-execution-id')
      await vi.waitFor(() => expect(spans.map((span) => span.name)).toEqual(['node check', 'workflow traced']), { timeout: 30_000, interval: 50 })
      const server = otel.spans().find((span) => span.name === 'POST /api/webhook:trigger/traced')!
      expect(server.spanContext().traceId).toBe(traceId)
      const [node, execution] = spans as [ExportedSpan, ExportedSpan]
      expect(execution).toMatchObject({ traceId, parentSpanId: server.spanContext().spanId })
      expect(execution.attributes).toMatchObject({ 'hookflow.execution.id': executionId, 'hookflow.execution.status': 'resolved' })
      expect(node).toMatchObject({ traceId, parentSpanId: execution.spanId })
    } finally {
      await receiver.close()
    }
  })
})
