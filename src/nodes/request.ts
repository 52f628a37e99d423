/**
 * @module
 * The `request` node: an HTTP call through `fetch`, as NocoBase's HTTP request node makes
 * it. `url`, `headers`, `params` (the query) and `data` (the body, sent as JSON, a form or
 * text per `contentType`) are all templated. A 2xx answer resolves the job with
 * `{ status, headers, data }` (just `data` with `onlyData`); JSON answers are parsed. Any
 * other answer, a timeout (`timeout`, default 5000 ms), a refused redirect, a body over
 * `maxResponseBytes` or a network error fails the job with a coded error, unless `ignoreFail`
 * makes it the result instead. An aborted execution cancels the call.
 *
 * ```json
 * { "key": "stock", "type": "request", "config": {
 *   "method": "POST", "url": "https://inventory.example.com/reserve",
 *   "headers": [{ "name": "x-api-key", "value": "k-123" }],
 *   "params": [{ "name": "order", "value": "{{$context.body.id}}" }],
 *   "data": { "sku": "{{$context.body.sku}}" }, "timeout": 3000, "onlyData": true } }
 * ```
 */
import { defineNode, type ConfigProblem } from '../engine/node-type.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { buildRequest, CONTENT_TYPES, type ContentType, type NameValueList } from './http/build-request.js'
import { headersOf, readResponseData } from './http/read-response.js'
import { sendRequest } from './http/send-request.js'

export interface RequestConfig {
  /** Default `POST`, as in NocoBase. */
  method?: string
  url: string
  headers?: NameValueList
  params?: NameValueList
  /** Default `application/json`. */
  contentType?: ContentType
  data?: unknown
  /** Milliseconds for the whole call, body included; default 5000; 0 = no limit of its own. */
  timeout?: number
  ignoreFail?: boolean
  onlyData?: boolean
  /** Default 1 MiB. */
  maxResponseBytes?: number
  /** Same-origin redirects followed; default 5, 0 = none. */
  maxRedirects?: number
}

export interface RequestResult {
  status: number
  headers: Record<string, string>
  data: unknown
  /** Only with `ignoreFail`, when the call failed. */
  error?: { code: string; message: string }
}

export const DEFAULT_request_timeout = 5000
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

const nameValueList = {
  oneOf: [
    { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
    { type: 'object' },
  ],
}

function problems(raw: unknown): ConfigProblem[] {
  const headers = (raw as RequestConfig).headers
  const names = Array.isArray(headers) ? headers.map((h) => h?.name) : Object.keys(headers ?? {})
  return names.some((name) => typeof name === 'string' && name.toLowerCase() === 'content-type')
    ? [{ path: '/headers', message: 'set "contentType" instead of a content-type header' }]
    : []
}

// Where the call went, for messages: never the query string, which may hold a key.
function target(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`
}

async function call(config: RequestConfig, signal: AbortSignal): Promise<RequestResult> {
  const request = buildRequest({
    method: config.method ?? 'POST',
    url: config.url,
    headers: config.headers,
    params: config.params,
    contentType: config.contentType ?? 'application/json',
    data: config.data,
  })
  const timeout = config.timeout ?? DEFAULT_request_timeout
  const limit = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const controller = new AbortController()
  let timedOut = false
  const onAbort = (): void => controller.abort(signal.reason)
  if (signal.aborted) onAbort()
  else signal.addEventListener('abort', onAbort, { once: true })
  const timer = timeout > 0 ? setTimeout(() => {
    timedOut = true
    controller.abort(new Error('timeout'))
  }, timeout) : undefined
  try {
    const { response, refusedRedirect } = await sendRequest(request, config.maxRedirects ?? 5, controller.signal)
    const data = request.method === 'HEAD' ? null : await readResponseData(response, limit)
    const result: RequestResult = { status: response.status, headers: headersOf(response), data }
    if (refusedRedirect) {
      throw Object.assign(new HookflowError('request_redirect_refused', `${target(request.method, request.url)} redirected (${response.status}), not followed: ${refusedRedirect}`), { result })
    }
    if (response.status < 200 || response.status > 299) {
      throw Object.assign(new HookflowError('request_status', `${target(request.method, request.url)} answered ${response.status}`), { result })
    }
    return result
  } catch (error) {
    if (signal.aborted) throw signal.reason
    if (timedOut) throw new HookflowError('request_timeout', `${target(request.method, request.url)} took longer than ${timeout} ms (timeout)`)
    if (HookflowError.is(error)) throw error
    const cause = (error as { cause?: { code?: unknown } })?.cause?.code
    throw new HookflowError('request_network', `${target(request.method, request.url)} failed${typeof cause === 'string' ? `: ${cause}` : ''}`, { cause: error })
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
  }
}

export const requestNode = defineNode<RequestConfig, unknown>({
  type: 'request',
  configSchema: {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: {
      method: { type: 'string', pattern: '^(?:GET|POST|PUT|PATCH|DELETE|HEAD|get|post|put|patch|delete|head)$' },
      url: { type: 'string', minLength: 1 },
      headers: nameValueList,
      params: nameValueList,
      contentType: { enum: CONTENT_TYPES },
      data: {},
      timeout: { type: 'integer', minimum: 0, maximum: 3_600_000 },
      ignoreFail: { type: 'boolean' },
      onlyData: { type: 'boolean' },
      maxResponseBytes: { type: 'integer', minimum: 0, maximum: 67_108_864 },
      maxRedirects: { type: 'integer', minimum: 0, maximum: 20 },
    },
  },
  validate: problems,
  async run({ config, signal }) {
    try {
      const result = await call(config, signal)
      return config.onlyData ? result.data : result
    } catch (error) {
      if (!config.ignoreFail || signal.aborted || !HookflowError.is(error)) throw error
      // With ignoreFail a failed answer is the result; a call with no answer gets status 0.
      const result = (error as { result?: RequestResult }).result
      if (result) return config.onlyData ? result.data : result
      return { status: 0, headers: {}, data: null, error: { code: error.code, message: error.message } }
    }
  },
})
