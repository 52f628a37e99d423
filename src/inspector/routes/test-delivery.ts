/**
 * @module
 * `POST api/workflows/<key>/deliveries`: a test delivery. The method, query, headers and body
 * given become a real `Request` for the workflow's URL, sent through the trigger's own `fetch`
 * exactly as a sender's would be (its checks, its answer, its execution), and the answer is
 * what the sender would have received.
 *
 * ```ts
 * // POST /hookflow/api/workflows/orders/deliveries  { "body": { "id": 7 }, "headers": { "x-source": "test" } }
 * // -> { status: 200, headers: [["content-type", "text/plain; charset=utf-8"], ...], body: "ok", executionId: "..." }
 * ```
 */
import { badRequest, json, notFound } from '../answers.js'
import type { InspectorContext } from '../inspector-context.js'
import { readJson } from '../read-json.js'

/**
 * A test delivery the inspector sends through the trigger: method, query, headers, body and path parameters.
 *
 * @example
 * ```ts
 * import type { TestDelivery } from 'hookflow/inspector'
 *
 * const delivery: TestDelivery = { headers: { 'x-github-event': 'ping' }, body: { zen: 'Keep it logically awesome.' } }
 * ```
 */
export interface TestDelivery {
  /** Default: the first of the workflow's `methods` (POST). */
  method?: string
  /** `a=1&b=2` (with or without `?`), or `{ a: '1', tags: ['x', 'y'] }`. */
  query?: string | Record<string, string | string[]>
  /** Request headers. */
  headers?: Record<string, string>
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown
  /** Path parameters, for a workflow with a `path` pattern. */
  params?: Record<string, string>
}

/**
 * What the trigger answered a test delivery, as the inspector's API returns it.
 *
 * @example
 * ```ts
 * import type { TestDeliveryAnswer } from 'hookflow/inspector'
 *
 * const answer: TestDeliveryAnswer = { status: 200, statusText: 'OK', headers: [['content-type', 'text/plain']], body: 'ok', executionId: 'ex-1' }
 * ```
 */
export interface TestDeliveryAnswer {
  /** The answer's HTTP status. */
  status: number
  /** The answer's status text. */
  statusText: string
  /** The answer's headers, in order. */
  headers: Array<[string, string]>
  /** The answer's body as text. */
  body: string
  /** The execution it started (`X-Execution-Id`), or null. */
  executionId: string | null
}

export async function sendTestDelivery(context: InspectorContext, key: string, request: Request): Promise<Response> {
  const workflow = context.engine.getWorkflow(key)
  if (!workflow) throw notFound(`No workflow "${key}"`, 'workflow_not_found')
  const delivery = testDelivery(await readJson(request))
  const trigger = context.triggers[0]!
  let url: URL
  try {
    url = new URL(trigger.urlFor(key, new URL(request.url).origin, delivery.params))
  } catch (error) {
    throw badRequest('bad_delivery', `The workflow's URL could not be made: ${(error as Error).message} (give its path parameters as "params")`)
  }
  url.search = searchOf(delivery.query)
  const method = (delivery.method ?? workflow.definition.trigger.methods?.[0] ?? 'POST').toUpperCase()
  let headers: Headers
  try {
    headers = new Headers(delivery.headers)
  } catch (error) {
    throw badRequest('bad_delivery', `headers: ${(error as Error).message}`)
  }
  const init: RequestInit = { method, headers }
  if (delivery.body !== undefined && method !== 'GET' && method !== 'HEAD') {
    init.body = typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  let sent: Request
  try {
    sent = new Request(url, init)
  } catch (error) {
    throw badRequest('bad_delivery', `The delivery is not a valid request: ${(error as Error).message}`)
  }
  const answer = await trigger.fetch(sent)
  const body: TestDeliveryAnswer = {
    status: answer.status,
    statusText: answer.statusText,
    headers: [...answer.headers],
    body: await answer.text(),
    executionId: answer.headers.get('x-execution-id'),
  }
  return json(body)
}

function testDelivery(value: unknown): TestDelivery {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('bad_delivery', 'Send a JSON object: { method?, query?, headers?, body?, params? }')
  }
  const delivery = value as Record<string, unknown>
  for (const key of Object.keys(delivery)) {
    if (!['method', 'query', 'headers', 'body', 'params'].includes(key)) {
      throw badRequest('bad_delivery', `Unknown field "${key}"; a test delivery has method, query, headers, body and params`)
    }
  }
  if (delivery.method !== undefined && (typeof delivery.method !== 'string' || !/^[A-Za-z]{1,16}$/.test(delivery.method))) {
    throw badRequest('bad_delivery', 'method must be an HTTP method name such as "POST"')
  }
  if (delivery.query !== undefined && typeof delivery.query !== 'string' && !stringMap(delivery.query, true)) {
    throw badRequest('bad_delivery', 'query must be a query string or an object of strings (or arrays of strings)')
  }
  if (delivery.headers !== undefined && !stringMap(delivery.headers, false)) {
    throw badRequest('bad_delivery', 'headers must be an object of header names to string values')
  }
  if (delivery.params !== undefined && !stringMap(delivery.params, false)) {
    throw badRequest('bad_delivery', 'params must be an object of path parameter names to string values')
  }
  return delivery as TestDelivery
}

function stringMap(value: unknown, arrays: boolean): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  return Object.values(value).every((inner) =>
    typeof inner === 'string' || (arrays && Array.isArray(inner) && inner.every((item) => typeof item === 'string')))
}

function searchOf(query: TestDelivery['query']): string {
  if (query === undefined) return ''
  if (typeof query === 'string') return query.startsWith('?') ? query.slice(1) : query
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) for (const item of [value].flat()) search.append(name, item)
  return search.toString()
}
