import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { defineNode, type WorkflowDefinition } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { listen } from '../../src/testing/listen.js'
import { BASE, post, setup } from '../helpers/webhook.js'
import { meterCapture, otelCapture } from './otel-capture.js'

const otel = otelCapture()
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_ID = '00f067aa0ba902b7'
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`

const boom = defineNode({
  type: 'test.boom',
  run: () => {
    throw Object.assign(new Error('no such customer'), { code: 'not_found' })
  },
})

const syncFlow: WorkflowDefinition = {
  key: 'pay',
  sync: true,
  trigger: { type: 'webhook', id: 'pay' },
  nodes: [
    {
      key: 'big',
      type: 'condition',
      config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 1000] }] } } },
      branches: { true: [{ key: 'ok', type: 'response', config: { statusCode: 201, body: { ok: true } } }] },
    },
  ],
}
const asyncFlow: WorkflowDefinition = { key: 'orders', trigger: { type: 'webhook', id: 'orders' }, nodes: [{ key: 'check', type: 'condition', config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: [1, 1] }] } } } }] }

function byName(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.find((span) => span.name === name)
  if (!found) throw new Error(`no span "${name}" among ${spans.map((span) => span.name).join(', ')}`)
  return found
}

const parentId = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId

describe('tracing: the delivery, the execution and each node as spans in the sender\'s trace', () => {
  it('makes a sync delivery carrying a traceparent a SERVER span in that trace, with the execution and its nodes below it', async () => {
    const { engine, trigger } = setup([syncFlow], { engine: { telemetry: otel.providers } })
    const response = await trigger.fetch(post(`${BASE}/pay`, { amount: 5000 }, { headers: { traceparent } }))
    expect(response.status).toBe(201)
    await engine.idle()
    const spans = otel.spans()
    const server = byName(spans, `POST ${BASE}/pay`)
    expect(server.kind).toBe(SpanKind.SERVER)
    expect(server.spanContext().traceId).toBe(TRACE_ID)
    expect(parentId(server)).toBe(PARENT_ID)
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': `${BASE}/pay`,
      'http.route': `${BASE}/pay`,
      'http.response.status_code': 201,
      'hookflow.workflow.key': 'pay',
      'hookflow.execution.id': response.headers.get('x-execution-id'),
    })
    const execution = byName(spans, 'workflow pay')
    expect(execution.spanContext().traceId).toBe(TRACE_ID)
    expect(parentId(execution)).toBe(server.spanContext().spanId)
    expect(execution.attributes).toMatchObject({ 'hookflow.workflow.key': 'pay', 'hookflow.execution.status': 'resolved', 'hookflow.execution.attempt': 1 })
    for (const [node, type] of [['big', 'condition'], ['ok', 'response']] as const) {
      const span = byName(spans, `node ${node}`)
      expect(parentId(span)).toBe(execution.spanContext().spanId)
      expect(span.attributes).toMatchObject({ 'hookflow.node.key': node, 'hookflow.node.type': type, 'hookflow.execution.id': response.headers.get('x-execution-id') })
    }
  })

  it('continues the trace of an async delivery in the execution run after the answer', async () => {
    const { engine, trigger } = setup([asyncFlow], { engine: { telemetry: otel.providers } })
    const response = await trigger.fetch(post(`${BASE}/orders`, { id: 1 }, { headers: { traceparent } }))
    expect(response.status).toBe(200)
    await engine.idle()
    const spans = otel.spans()
    const server = byName(spans, `POST ${BASE}/orders`)
    const execution = byName(spans, 'workflow orders')
    expect(execution.spanContext().traceId).toBe(TRACE_ID)
    expect(parentId(execution)).toBe(server.spanContext().spanId)
    expect(parentId(byName(spans, 'node check'))).toBe(execution.spanContext().spanId)
    const stored = await engine.getExecution(response.headers.get('x-execution-id')!)
    expect(stored?.context.trace).toEqual({ traceparent: `00-${TRACE_ID}-${server.spanContext().spanId}-01` })
  })

  it('starts a new trace for a delivery without traceparent', async () => {
    const { engine, trigger } = setup([asyncFlow], { engine: { telemetry: otel.providers } })
    await trigger.fetch(post(`${BASE}/orders`, {}))
    await engine.idle()
    const server = byName(otel.spans(), `POST ${BASE}/orders`)
    expect(server.spanContext().traceId).not.toBe(TRACE_ID)
    expect(parentId(server)).toBeUndefined()
    expect(byName(otel.spans(), 'workflow orders').spanContext().traceId).toBe(server.spanContext().traceId)
  })

  it('records a failing node as an exception with status ERROR on its span and the execution span', async () => {
    const { engine, trigger } = setup([{ key: 'fails', trigger: { type: 'webhook', id: 'fails' }, nodes: [{ key: 'lookup', type: 'test.boom' }] }], {
      engine: { telemetry: otel.providers, nodeTypes: [boom], logger: false },
    })
    await trigger.fetch(post(`${BASE}/fails`, {}, { headers: { traceparent } }))
    await engine.idle()
    for (const name of ['node lookup', 'workflow fails']) {
      const span = byName(otel.spans(), name)
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such customer' })
      expect(span.events).toEqual([expect.objectContaining({ name: 'exception', attributes: expect.objectContaining({ 'exception.message': 'no such customer' }) })])
    }
    expect(byName(otel.spans(), 'workflow fails').attributes['hookflow.execution.status']).toBe('error')
  })

  it('names a delivery that matched no workflow by its method only, with its status code', async () => {
    const { trigger } = setup([], { engine: { telemetry: otel.providers } })
    expect((await trigger.fetch(post(`${BASE}/nosuch`, {}))).status).toBe(404)
    const [server] = otel.spans()
    expect(server?.name).toBe('POST')
    expect(server?.attributes['http.response.status_code']).toBe(404)
    expect(server?.attributes['http.route']).toBeUndefined()
    expect(server?.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('puts the delivery over a real socket into the trace the traceparent header names', async () => {
    const { engine, trigger } = setup([syncFlow], { engine: { telemetry: otel.providers } })
    const server = await listen(http.createServer(createListener(trigger)))
    try {
      const response = await fetch(`${server.url}${BASE}/pay`, { method: 'POST', headers: { 'content-type': 'application/json', traceparent }, body: '{"amount":2000}' })
      expect(response.status).toBe(201)
      await engine.idle()
      expect(byName(otel.spans(), `POST ${BASE}/pay`).spanContext().traceId).toBe(TRACE_ID)
      expect(byName(otel.spans(), 'workflow pay').spanContext().traceId).toBe(TRACE_ID)
    } finally {
      await server.close()
    }
  })

  it('continues the trace of the span active around a programmatic engine.trigger', async () => {
    const { engine } = setup([asyncFlow], { engine: { telemetry: otel.providers } })
    const tracer = otel.providers.tracerProvider.getTracer('app')
    const outer = await tracer.startActiveSpan('app job', async (span) => {
      await engine.trigger('orders', { body: {} })
      span.end()
      return span
    })
    await engine.idle()
    const execution = byName(otel.spans(), 'workflow orders')
    expect(execution.spanContext().traceId).toBe(outer.spanContext().traceId)
    expect(parentId(execution)).toBe(outer.spanContext().spanId)
  })
})

describe('metrics', () => {
  it('counts deliveries by workflow and status code, and records execution and node durations', async () => {
    const meter = meterCapture()
    const { engine, trigger } = setup([syncFlow, asyncFlow], { engine: { telemetry: { meterProvider: meter.meterProvider } } })
    await trigger.fetch(post(`${BASE}/pay`, { amount: 5000 }))
    await trigger.fetch(post(`${BASE}/orders`, {}))
    await trigger.fetch(post(`${BASE}/orders`, {}))
    await trigger.fetch(post(`${BASE}/orders`, 'not json'))
    await engine.idle()
    const metrics = await meter.metrics()
    const deliveries = metrics.get('hookflow.deliveries')!
    const count = (workflow: string, status: number): unknown =>
      deliveries.find((point) => point.attributes['hookflow.workflow.key'] === workflow && point.attributes['http.response.status_code'] === status)?.value
    expect(count('pay', 201)).toBe(1)
    expect(count('orders', 200)).toBe(2)
    expect(count('orders', 400)).toBe(1)
    const durations = metrics.get('hookflow.execution.duration')!
    const ordersDuration = durations.find((point) => point.attributes['hookflow.workflow.key'] === 'orders')
    expect(ordersDuration?.attributes['hookflow.execution.status']).toBe('resolved')
    expect((ordersDuration?.value as { count: number }).count).toBe(2)
    const wait = metrics.get('hookflow.execution.queue_wait')!
    expect((wait[0]?.value as { count: number }).count).toBe(2)
    const nodes = metrics.get('hookflow.node.duration')!
    expect(nodes.map((point) => point.attributes['hookflow.node.type']).sort()).toEqual(['condition', 'response'])
    const waiting = metrics.get('hookflow.executions.waiting')!
    expect(waiting.find((point) => point.attributes['hookflow.workflow.key'] === 'orders')?.value).toBe(0)
  })
})
