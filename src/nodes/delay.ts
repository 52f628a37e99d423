/**
 * @module
 * The `delay` node (async workflows only; NocoBase's semantics): parks the execution for
 * `duration` (in `unit`, default milliseconds), then goes on with the next node, or fails the
 * execution when `endStatus` is `failed`. Parking is durable: the job is stored as `waiting`,
 * the execution goes back to `queued` with its `wakeAt`, and whichever worker finds it due
 * resumes after the delay, also after a restart with a durable store.
 *
 * ```json
 * { "key": "later", "type": "delay", "config": { "duration": 1, "unit": "h", "endStatus": "resolved" } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/**
 * A Delay node's config: how long to wait (`duration` in `unit`, default ms) and, optionally, how to end afterwards.
 *
 * @example
 * ```ts
 * import type { DelayConfig } from 'hookflow'
 *
 * const config: DelayConfig = { duration: 2, unit: 'h' }
 * ```
 */
export interface DelayConfig {
  /** How long to wait, in `unit`s. */
  duration: number
  /** `ms` (default), `s`, `m`, `h` or `d`. */
  unit?: keyof typeof UNITS
  /** End the execution with this status once it wakes, instead of going on. */
  endStatus?: 'resolved' | 'failed'
}

/**
 * A Delay node's result: when the execution wakes.
 *
 * @example
 * ```ts
 * import type { DelayResult } from 'hookflow'
 *
 * const result: DelayResult = { wakeAt: Date.now() + 7_200_000 }
 * ```
 */
export interface DelayResult {
  /** When the execution wakes (epoch ms). */
  wakeAt: number
}

/**
 * The `delay` node type: parks an async execution and wakes it later, across restarts with a durable store.
 *
 * @example
 * ```ts
 * import { delayNode } from 'hookflow'
 *
 * console.log(delayNode.type, delayNode.asyncOnly) // 'delay' true
 * ```
 */
export const delayNode = defineNode<DelayConfig, DelayResult>({
  type: 'delay',
  asyncOnly: true,
  configSchema: {
    type: 'object',
    required: ['duration'],
    additionalProperties: false,
    properties: {
      duration: { type: 'number', minimum: 0 },
      unit: { enum: Object.keys(UNITS) },
      endStatus: { enum: ['resolved', 'failed'] },
    },
  },
  run({ config, flow, previous }) {
    const parked = previous?.status === 'waiting' ? (previous.result as Partial<DelayResult> | null)?.wakeAt : undefined
    if (typeof parked === 'number') {
      // Woken: due now, or woken early by a poll, in which case it parks again until then.
      if (Date.now() < parked) flow.wait(parked)
      else if (config.endStatus === 'failed') flow.end('failed')
      return { wakeAt: parked }
    }
    const wakeAt = Date.now() + config.duration * UNITS[config.unit ?? 'ms']
    flow.wait(wakeAt)
    return { wakeAt }
  },
})
