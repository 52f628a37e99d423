/**
 * @module
 * An engine, its trigger and an inspector behind one real node:http server (hookflow/node),
 * with the workflows the inspector tests use, on any store. Closed after the test.
 *
 * ```ts
 * const app = await serveInspector()
 * const response = await app.get('/hookflow/api/workflows')
 * ```
 */
import { createServer } from 'node:http'
import { onTestFinished } from 'vitest'
import { createEngine, type Engine, type Store, WebhookTrigger, type WorkflowDefinition } from '../../src/index.js'
import { createListener } from '../../src/adapters/node/index.js'
import { createInspector, type Inspector, type InspectorOptions } from '../../src/inspector/index.js'
import { listen } from '../../src/testing/listen.js'
import { basic } from './webhook.js'

export const ADMIN = { username: 'admin', password: 'correct horse' }
export const ADMIN_AUTH = basic(ADMIN.username, ADMIN.password)

/** Workflows for the inspector tests: one of each kind the page shows. */
export const WORKFLOWS: WorkflowDefinition[] = [
  {
    key: 'orders',
    title: 'Orders',
    trigger: { type: 'webhook', id: 'orders', request: { body: [{ key: 'amount', alias: 'Amount' }] } },
    nodes: [
      {
        key: 'big', type: 'condition',
        config: { rejectOnFalse: false, calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.amount}}', 100] }] } } },
        branches: { true: [{ key: 'note', type: 'code', config: { function: 'note', args: { amount: '{{$context.body.amount}}' } } }] },
      },
    ],
  },
  { key: 'flaky', trigger: { type: 'webhook', id: 'flaky' }, nodes: [{ key: 'shaky', type: 'code', config: { function: 'flaky' } }] },
  {
    key: 'echo', sync: true,
    trigger: { type: 'webhook', id: 'echo', request: { headers: [{ key: 'x-source' }] } },
    nodes: [{ key: 'answer', type: 'response', config: { statusCode: 201, headers: [{ name: 'x-echo', value: '{{$context.body.name}}' }], body: { got: '{{$context.body.name}}' } } }],
  },
  { key: 'slow', trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'wait', type: 'delay', config: { duration: 1, unit: 'h' } }] },
]

export interface InspectorApp {
  engine: Engine
  trigger: WebhookTrigger
  inspector: Inspector
  /** The server's origin, `http://127.0.0.1:<port>`. */
  url: string
  /** How often `flaky` was called. */
  flakyCalls(): number
  /** A GET with the admin's credentials (unless `headers` says otherwise). */
  get(path: string, headers?: Record<string, string>): Promise<Response>
  /** A same-origin POST with the admin's credentials and a JSON body. */
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>
  /** A webhook delivery over the socket, as a sender makes it. */
  deliver(id: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  close(): Promise<void>
}

export interface ServeOptions extends Partial<Omit<InspectorOptions, 'engine' | 'trigger'>> {
  store?: Store
}

export async function serveInspector(options: ServeOptions = {}): Promise<InspectorApp> {
  const { store, ...inspectorOptions } = options
  let calls = 0
  const engine = createEngine({
    ...(store ? { store } : {}),
    functions: {
      note: ({ args }) => ({ noted: args.amount }),
      flaky: () => {
        if (calls++ === 0) throw new Error('fails the first time')
        return { ok: true, calls }
      },
    },
  })
  for (const definition of WORKFLOWS) engine.register(definition)
  const trigger = new WebhookTrigger({ engine })
  const inspector = createInspector({ engine, trigger, auth: ADMIN, ...inspectorOptions })
  const server = await listen(createServer(createListener({
    fetch: (request) => (inspector.handles(new URL(request.url).pathname) ? inspector.fetch(request) : trigger.fetch(request)),
  })))
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    inspector.close()
    await server.close()
    await engine.close()
  }
  onTestFinished(close)
  const origin = server.url
  return {
    engine,
    trigger,
    inspector,
    url: origin,
    flakyCalls: () => calls,
    get: (path, headers = {}) => fetch(origin + path, { headers: { authorization: ADMIN_AUTH, ...headers } }),
    post: (path, body, headers = {}) =>
      fetch(origin + path, {
        method: 'POST',
        headers: { authorization: ADMIN_AUTH, origin, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    deliver: (id, body, headers = {}) =>
      fetch(`${origin}/api/webhook:trigger/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    close,
  }
}

/** Polls `GET api/executions/<id>` until its status is final; fails after `timeoutMs`. */
export async function finalExecution(app: InspectorApp, id: string, timeoutMs = 10_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const execution = (await (await app.get(`/hookflow/api/executions/${id}`)).json()) as Record<string, any>
    if (['resolved', 'failed', 'error', 'aborted'].includes(execution.status)) return execution
    if (Date.now() > deadline) throw new Error(`execution ${id} is still ${String(execution.status)} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
