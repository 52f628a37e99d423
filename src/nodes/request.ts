/**
 * @module
 * The `request` node: an HTTP call, as NocoBase's HTTP request node makes it. `url`,
 * `headers`, `params` (the query) and `data` (the body) are all templated; templated values
 * past the URL's host are percent-encoded (`rawUrlValues` keeps them raw). A string `data` is
 * sent as it is (as `contentType`, default `text/plain`); other data as JSON or a form. A 2xx
 * answer resolves the job with `{ status, headers, data }` (just `data` with `onlyData`, for
 * every outcome); text answers are decoded in their charset, JSON parsed, anything else is
 * `{ contentType, size, base64 }`. Any other answer, a timeout, a refused redirect or address,
 * a body over `maxResponseBytes` or a network error fails the job with a coded error, unless
 * `ignoreFail` makes it the result instead. Numbers may be templates (`"timeout":
 * "{{$context.query.to}}"`): they are read as numbers after rendering, then checked. An
 * aborted execution cancels the call. `createRequestNode({ denyPrivateNetworks: true })`
 * (what `createEngine({ requestNode })` builds) refuses private, loopback and link-local
 * addresses, checked on the resolved address of every hop.
 *
 * ```json
 * { "key": "stock", "type": "request", "config": {
 *   "method": "POST", "url": "https://inventory.example.com/orders/{{$context.body.id}}/reserve",
 *   "headers": [{ "name": "x-api-key", "value": "k-123" }],
 *   "data": { "sku": "{{$context.body.sku}}" }, "timeout": 3000, "onlyData": true } }
 * ```
 */
import { defineNode, type ConfigProblem, type NodeType } from '../engine/node-type.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { buildRequest, MEDIA_TYPE_PATTERN, type NameValueList } from './http/build-request.js'
import { numberOf, numberProblems } from './http/number-fields.js'
import { callRequest, type CallLimits, type RequestResult } from './http/call-request.js'
import type { ResolveHost } from './http/guarded-transport.js'
import { parseNetwork } from './http/private-networks.js'
import { type RawUrlValues, urlText } from './http/request-url.js'
import type { Transport } from './http/send-request.js'

export type { RequestResult }
export type { BinaryData } from './http/read-response.js'
export type { ResolveHost }

/**
 * A Request node's config: method, URL, headers, query, body, timeout and how failures and answers are kept.
 *
 * @example
 * ```ts
 * import type { RequestConfig } from 'hookflow'
 *
 * const config: RequestConfig = {
 *   method: 'POST',
 *   url: 'https://api.example.com/orders/{{$context.body.id}}',
 *   headers: [{ name: 'authorization', value: 'Bearer {{$env.API_TOKEN}}' }],
 *   data: { status: '{{$context.body.status}}' },
 *   timeout: 10_000,
 * }
 * ```
 */
export interface RequestConfig {
  /** Default `POST`, as in NocoBase. */
  method?: string
  /** The URL; templated values in its path are percent-encoded. */
  url: string
  /** Request headers, templated. */
  headers?: NameValueList
  /** Query parameters, added to the URL's own. */
  params?: NameValueList
  /** Default `text/plain` for a string `data`, else `application/json`. */
  contentType?: string
  /** The body: sent as JSON, form or text per `contentType`. */
  data?: unknown
  /** Milliseconds for the whole call, body included; default 5000; 0 = no limit of its own. */
  timeout?: number | string
  /** Resolve with the failure in the result instead of failing the node. */
  ignoreFail?: boolean
  /** The result is the answer's body alone, not `{ status, headers, data }`. */
  onlyData?: boolean
  /** Default 1 MiB. */
  maxResponseBytes?: number | string
  /** Same-origin redirects followed; default 5, 0 = none. */
  maxRedirects?: number | string
  /** `true`: templated values go into the URL as they are; a list: the values of these template paths do. */
  rawUrlValues?: RawUrlValues
}

/**
 * How a Request node guards where it connects (`createEngine({ requestNode })`).
 *
 * @example
 * ```ts
 * import { createEngine, type RequestNodeOptions } from 'hookflow'
 *
 * const requestNode: RequestNodeOptions = { denyPrivateNetworks: true, allowNetworks: ['10.1.2.0/24'] }
 * const engine = createEngine({ requestNode })
 * ```
 */
export interface RequestNodeOptions {
  /** Refuse private, loopback, link-local and other non-public addresses (see README). Default false. */
  denyPrivateNetworks?: boolean
  /** With `denyPrivateNetworks`: addresses and CIDR ranges let through all the same (`['10.1.2.0/24']`). */
  allowNetworks?: readonly string[]
  /** With `denyPrivateNetworks`: how host names resolve (default `dns.lookup`); every address is checked. */
  resolve?: ResolveHost
}

export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_request_timeout } from './http/number-fields.js'

const nameValueList = {
  oneOf: [
    { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
    { type: 'object' },
  ],
}

function problems(raw: unknown): ConfigProblem[] {
  const config = raw as RequestConfig
  const found: ConfigProblem[] = []
  const headers = config.headers
  const names = Array.isArray(headers) ? headers.map((h) => h?.name) : Object.keys(headers ?? {})
  if (names.some((name) => typeof name === 'string' && name.toLowerCase() === 'content-type')) {
    found.push({ path: '/headers', message: 'set "contentType" instead of a content-type header' })
  }
  return [...found, ...numberProblems(config)]
}

const configSchema = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    method: { type: 'string', pattern: '^(?:GET|POST|PUT|PATCH|DELETE|HEAD|get|post|put|patch|delete|head)$' },
    url: { type: 'string', minLength: 1 },
    headers: nameValueList,
    params: nameValueList,
    contentType: { type: 'string', pattern: MEDIA_TYPE_PATTERN },
    data: {},
    // Numbers may come from templates as text: read and range-checked by the node (`numberOf`).
    timeout: { type: ['integer', 'string'] },
    ignoreFail: { type: 'boolean' },
    onlyData: { type: 'boolean' },
    maxResponseBytes: { type: ['integer', 'string'] },
    maxRedirects: { type: ['integer', 'string'] },
    rawUrlValues: { oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
  },
}

function transportFor(options: RequestNodeOptions): () => Promise<Transport | undefined> {
  if (!options.denyPrivateNetworks) {
    if (options.allowNetworks !== undefined || options.resolve !== undefined) {
      throw new TypeError('requestNode.allowNetworks and requestNode.resolve apply with denyPrivateNetworks: true; set it, or leave them out')
    }
    return async () => undefined
  }
  for (const entry of options.allowNetworks ?? []) parseNetwork(entry, 'requestNode.allowNetworks')
  // Node's http, dns and net modules load on first use, so `hookflow` itself needs none of them.
  let guarded: Promise<Transport> | undefined
  return () => (guarded ??= import('./http/guarded-transport.js').then((module) => module.createGuardedTransport(options)))
}

/**
 * The `request` node type; `createEngine({ requestNode })` builds one with its options.
 *
 * @example
 * ```ts
 * import { Engine, builtInNodeTypes, createMemoryQueue, createMemoryStore, createRequestNode, requestNode } from 'hookflow'
 *
 * const guarded = createRequestNode({ denyPrivateNetworks: true })
 * const nodeTypes = builtInNodeTypes.map((nodeType) => (nodeType === requestNode ? guarded : nodeType))
 * const engine = new Engine({ store: createMemoryStore(), queue: createMemoryQueue(), nodeTypes })
 * ```
 */
export function createRequestNode(options: RequestNodeOptions = {}): NodeType<RequestConfig, unknown> {
  const transport = transportFor(options)
  return defineNode<RequestConfig, unknown>({
    type: 'request',
    configSchema,
    // Rendered by the node in parts, so each templated value can be encoded where it lands.
    deferredConfig: ['url'],
    validate: problems,
    async run({ config, signal, flow }) {
      let result: RequestResult
      try {
        const request = buildRequest({
          method: config.method ?? 'POST',
          url: urlText(flow.renderParts('url'), config.rawUrlValues ?? false),
          headers: config.headers,
          params: config.params,
          contentType: config.contentType,
          data: config.data,
        })
        const limits: CallLimits = { timeout: numberOf(config, 'timeout'), maxResponseBytes: numberOf(config, 'maxResponseBytes'), maxRedirects: numberOf(config, 'maxRedirects') }
        result = await callRequest(request, limits, signal, await transport())
      } catch (error) {
        if (!config.ignoreFail || signal.aborted || !HookflowError.is(error)) throw error
        // With ignoreFail a failed answer is the result; a call with no answer gets status 0.
        result = (error as { result?: RequestResult }).result ?? { status: 0, headers: {}, data: null, error: { code: error.code, message: error.message } }
      }
      return config.onlyData ? result.data : result
    },
  })
}

/**
 * The `request` node type with the default options (any address allowed).
 *
 * @example
 * ```ts
 * import { requestNode } from 'hookflow'
 *
 * console.log(requestNode.type) // 'request'
 * ```
 */
export const requestNode: NodeType<RequestConfig, unknown> = createRequestNode()
