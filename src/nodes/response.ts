/**
 * @module
 * The `response` node (sync workflows only): describes the webhook's answer. The first one
 * reached answers the request; later ones are recorded as results, not sent. `end: true`
 * (default) ends the execution as resolved; `end: false` answers and lets the flow go on.
 *
 * ```json
 * { "key": "ok", "type": "response", "config": {
 *   "statusCode": 200, "headers": [{ "name": "x-order", "value": "{{$context.body.id}}" }],
 *   "body": { "ok": true } } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'
import type { HeaderEntry } from '../engine/definition.js'
import type { ResponseDescription } from '../engine/execution.js'
import { responseConfigProblems, toResponseDescription } from '../engine/response-description.js'

/** @inline */
export interface ResponseConfig {
  statusCode?: number | string
  headers?: HeaderEntry[]
  body?: unknown
  end?: boolean
}

/**
 * The `response` node type: answers a sync workflow's webhook with a status, headers and body.
 *
 * @example
 * ```ts
 * import { responseNode } from 'hookflow'
 *
 * console.log(responseNode.type, responseNode.syncOnly) // 'response' true
 * ```
 */
export const responseNode = defineNode<ResponseConfig, ResponseDescription>({
  type: 'response',
  syncOnly: true,
  responds: true,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      statusCode: { type: ['integer', 'string'] },
      headers: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          // A rendered value may be any type (a number, or undefined to leave the header out);
          // toResponseDescription turns it into text and checks it.
          properties: { name: { type: 'string' }, value: {} },
        },
      },
      body: {},
      end: { type: 'boolean' },
    },
  },
  validate: (config) => responseConfigProblems(config),
  run({ config, flow }) {
    const response = toResponseDescription(config)
    flow.respond(response)
    if (config.end !== false) flow.end('resolved')
    return response
  },
})
