/**
 * @module
 * Helpers for the webhook trigger's contract tests: an engine plus its trigger (closed when
 * the test ends), real `Request` builders, Basic credentials, and a few stores / queues that
 * fail on purpose.
 *
 * ```ts
 * const { engine, trigger } = setup([{ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] }])
 * const response = await trigger.fetch(post('/api/webhook:trigger/hello', { a: 1 }))
 * ```
 */
import { Buffer } from 'node:buffer'
import { expect, onTestFinished } from 'vitest'
import {
  createEngine,
  createMemoryQueue,
  createMemoryStore,
  type CreateEngineOptions,
  type Engine,
  type ExecutionRecord,
  type Queue,
  type Store,
  type AnyWorkflowDefinition,
  WebhookTrigger,
  type WebhookTriggerOptions,
} from '../../src/index.js'

export const ORIGIN = 'http://localhost'
export const BASE = '/api/webhook:trigger'

export interface Setup {
  engine: Engine
  trigger: WebhookTrigger
}

/** A fresh engine with `definitions` registered and a trigger on it; closed after the test. */
// Definitions of any node types: each test builds its engine with its own.
export function setup(
  definitions: AnyWorkflowDefinition[],
  options: { engine?: CreateEngineOptions; trigger?: Omit<WebhookTriggerOptions, 'engine'> } = {},
): Setup {
  const engine = createEngine(options.engine)
  for (const definition of definitions) engine.register(definition)
  const trigger = new WebhookTrigger({ engine, ...options.trigger })
  onTestFinished(() => engine.close())
  return { engine, trigger }
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** A real `Request` for `path` (relative to `ORIGIN`) with whatever body is given, as is. */
export function request(path: string, init: RequestInit = {}): Request {
  return new Request(new URL(path, ORIGIN), init)
}

/** A JSON `Request`: `body` is serialised unless it is already a string. */
export function post(path: string, body?: unknown, options: RequestOptions = {}): Request {
  const method = options.method ?? 'POST'
  const init: RequestInit = {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
  }
  if (options.signal) init.signal = options.signal
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return request(path, init)
}

/** The URL path of a workflow registered under the default base path with this id. */
export function idPath(id: string): string {
  return `${BASE}/${id}`
}

/** An `Authorization: Basic` value; the pair is encoded as UTF-8. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
}

/** A body that arrives as a stream of `chunks`, with no `Content-Length`. */
export function streamed(path: string, chunks: Uint8Array[], headers: Record<string, string> = {}): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
  return request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: stream,
    duplex: 'half',
  } as RequestInit)
}

/** Valid JSON text of exactly `size` bytes: `{"pad":"xxx…"}`. */
export function jsonOfSize(size: number): Uint8Array<ArrayBuffer> {
  const overhead = '{"pad":""}'.length
  if (size < overhead) throw new RangeError(`size must be at least ${overhead}`)
  const bytes = new TextEncoder().encode(`{"pad":"${'x'.repeat(size - overhead)}"}`)
  expect(bytes.byteLength).toBe(size)
  return bytes
}

/** Nested arrays, `depth` deep: `[[…[]…]]`. */
export function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}

/** Waits for every run, then checks that nothing was stored. */
export async function expectNoExecution(engine: Engine): Promise<void> {
  await engine.idle()
  expect(await engine.listExecutions()).toHaveLength(0)
}

/** The `X-Execution-Id` of an answer; fails the test when it is missing. */
export function executionIdOf(response: Response): string {
  const id = response.headers.get('x-execution-id')
  expect(id, 'X-Execution-Id header').toBeTruthy()
  return id!
}

/** The stored execution an answer names, once every run is done. */
export async function settledExecution(engine: Engine, response: Response): Promise<ExecutionRecord> {
  const id = executionIdOf(response)
  await engine.idle()
  const execution = await engine.getExecution(id)
  expect(execution, `execution ${id} is stored`).toBeDefined()
  return execution!
}

/** Checks the contract's error answer: JSON `{ error: { code, message } }` and nothing else. */
export async function expectErrorBody(response: Response, code?: string): Promise<{ code: string; message: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const text = await response.text()
  const body = JSON.parse(text) as { error: { code: string; message: string } }
  expect(Object.keys(body)).toEqual(['error'])
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message'])
  expect(typeof body.error.code).toBe('string')
  expect(typeof body.error.message).toBe('string')
  if (code !== undefined) expect(body.error.code).toBe(code)
  // No stack trace: no "at fn (file:line:col)" frames, no source paths.
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+|"stack"/)
  return body.error
}

export interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** The memory store, except that `executions.create` rejects. */
export function storeThatCannotCreate(): Store {
  const store = createMemoryStore()
  return {
    ...store,
    executions: {
      ...store.executions,
      create: () => Promise.reject(new Error('database is down')),
    },
  }
}

/** The memory store, except that `executions.create` takes `ms` longer to resolve. */
export function slowStore(ms: number): Store {
  const store = createMemoryStore()
  return {
    ...store,
    executions: {
      ...store.executions,
      create: async (execution) => {
        await new Promise((resolve) => setTimeout(resolve, ms))
        return store.executions.create(execution)
      },
    },
  }
}

/** The memory queue, except that `enqueue` rejects. */
export function queueThatCannotEnqueue(): Queue {
  const queue = createMemoryQueue()
  return {
    ...queue,
    enqueue: () => Promise.reject(new Error('broker is down')),
  }
}
