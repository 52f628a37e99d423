/**
 * @module
 * The `end` node: ends the execution at once with `endStatus` (`resolved` by default).
 *
 * ```json
 * { "key": "stop", "type": "end", "config": { "endStatus": "failed" } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'

/** @inline */
export interface EndConfig {
  endStatus?: 'resolved' | 'failed'
}

/**
 * The `end` node type: ends the execution as resolved or failed.
 *
 * @example
 * ```ts
 * import { endNode } from 'hookflow'
 *
 * console.log(endNode.type) // 'end'
 * ```
 */
export const endNode = defineNode<EndConfig, null>({
  type: 'end',
  ends: true,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { endStatus: { enum: ['resolved', 'failed'] } },
  },
  run({ config, flow }) {
    flow.end(config.endStatus ?? 'resolved')
    return null
  },
})
