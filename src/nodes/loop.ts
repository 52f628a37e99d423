/**
 * @module
 * The `loop` node (NocoBase's semantics): runs its `body` branch once per item of `target`,
 * an array, a number `n` (0 .. n-1) or a string (its characters); `null` runs no pass and any
 * other value one. Inside the body, `{{$scopes.<loop key>.item}}`, `.index` and `.length`
 * describe the pass (nested loops each under their own key). An optional `condition` is
 * checked before (default) or after each pass; when false, `exit: "break"` (default) leaves
 * the loop and `"continue"` goes on with the next pass (NocoBase's `checkpoint: 0 | 1` and
 * `continueOnFalse` are accepted too). `exit` says what a body that fails or errors does, as in
 * NocoBase: `0` (default) fails the loop and the execution the same way, `1` leaves the loop and
 * goes on after it, `2` goes on with the next pass (a failing End node or rejecting condition
 * counts as a failure; a resolving End node always ends the execution). Passes beyond the engine's `maxLoopIterations` fail the node. The result is
 * `{ passes, broken }`.
 *
 * ```json
 * { "key": "items", "type": "loop",
 *   "config": { "target": "{{$context.body.items}}",
 *     "condition": { "checkpoint": "before", "exit": "break",
 *       "calculation": { "group": { "type": "and", "calculations": [
 *         { "calculator": "lt", "operands": ["{{$scopes.items.index}}", 10] } ] } } } },
 *   "branches": { "body": [{ "key": "each", "type": "acme.handle", "config": { "sku": "{{$scopes.items.item.sku}}" } }] } }
 * ```
 */
import { defineNode } from '../engine/node-type.js'
import { IterationLimitError } from '../engine/run-frame.js'
import { passOn } from './branch-outcome.js'
import { type Calculation, evaluateCalculation } from './calculation-tree.js'

/**
 * When a loop checks its condition and what it does when the condition is false.
 *
 * @example
 * ```ts
 * import type { LoopCondition } from 'hookflow'
 *
 * const firstTen: LoopCondition = {
 *   calculation: { group: { type: 'and', calculations: [{ calculator: 'lt', operands: ['{{$scopes.items.index}}', 10] }] } },
 *   checkpoint: 'before',
 *   exit: 'break',
 * }
 * ```
 */
export interface LoopCondition {
  /** Checked on every pass; templates may read `$scopes.<loop key>`. */
  calculation: Calculation
  /** Checked before each pass (default; NocoBase's `0`) or after it (`1`). */
  checkpoint?: 'before' | 'after' | 0 | 1
  /** On false: leave the loop (default) or skip to the next pass. */
  exit?: 'break' | 'continue'
  /** NocoBase's spelling of `exit: 'continue'`. */
  continueOnFalse?: boolean
}

/**
 * A Loop node's config: what it loops over, an optional condition, and what a failing body does.
 *
 * @example
 * ```ts
 * import type { LoopConfig } from 'hookflow'
 *
 * const config: LoopConfig = { target: '{{$context.body.items}}', exit: 2 }
 * ```
 */
export interface LoopConfig {
  /** An array, a number of passes, or a string's characters; default 1. */
  target?: unknown
  /** Checked before (or after) each pass. */
  condition?: LoopCondition
  /** When a body node fails or errors: `0` fail (default), `1` leave the loop, `2` next pass. */
  exit?: 0 | 1 | 2
}

/**
 * A Loop node's result: how many passes ran, and whether a false condition left early.
 *
 * @example
 * ```ts
 * import type { LoopResult } from 'hookflow'
 *
 * const result: LoopResult = { passes: 3, broken: false } // read as {{$jobsMapByNodeKey.items.passes}}
 * ```
 */
export interface LoopResult {
  /** Passes whose body ran. */
  passes: number
  /** Left early on a false condition. */
  broken: boolean
}

/**
 * What a loop's body reads as `$scopes.<loop key>`: the item, its index and the number of passes.
 *
 * @example
 * ```ts
 * import type { LoopScope } from 'hookflow'
 *
 * const pass: LoopScope = { item: { sku: 'a' }, index: 0, length: 3 } // {{$scopes.items.item.sku}}
 * ```
 */
export interface LoopScope {
  /** The current item. */
  item: unknown
  /** The pass, from 0. */
  index: number
  /** How many passes in all. */
  length: number
}

/** The passes of a target: how many, and the item of each. */
function passesOf(target: unknown): { length: number; item: (index: number) => unknown } {
  if (Array.isArray(target)) return { length: target.length, item: (i) => target[i] }
  if (typeof target === 'number') {
    if (!Number.isFinite(target)) throw new RangeError(`A loop target must be a finite number, got ${target}`)
    return { length: Math.max(Math.floor(target), 0), item: (i) => i }
  }
  if (typeof target === 'string') {
    const characters = [...target]
    return { length: characters.length, item: (i) => characters[i] }
  }
  if (target === null || target === undefined) return { length: 0, item: () => undefined }
  return { length: 1, item: () => target }
}

/**
 * The `loop` node type: runs its `body` branch once per item of `target`.
 *
 * @example
 * ```ts
 * import { loopNode } from 'hookflow'
 *
 * console.log(loopNode.type, loopNode.branches) // 'loop' ['body']
 * ```
 */
export const loopNode = defineNode<LoopConfig, LoopResult>({
  type: 'loop',
  branches: ['body'],
  deferredConfig: ['condition'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      target: {},
      condition: {
        type: 'object',
        required: ['calculation'],
        additionalProperties: false,
        properties: {
          calculation: { type: 'object' },
          checkpoint: { enum: ['before', 'after', 0, 1] },
          exit: { enum: ['break', 'continue'] },
          continueOnFalse: { type: 'boolean' },
        },
      },
      exit: { enum: [0, 1, 2] },
    },
  },
  async run({ config, flow, node }) {
    // NocoBase runs one pass without a target; a template that finds nothing runs none.
    const { length, item } = passesOf(Object.hasOwn(config, 'target') ? config.target : 1)
    const limit = flow.limits.maxLoopIterations
    if (length > limit) throw new IterationLimitError(node.key, limit)
    const condition = flow.render('condition') as LoopCondition | undefined
    const holds = (scope: LoopScope): boolean =>
      evaluateCalculation((flow.render('condition', scope) as LoopCondition).calculation)
    const checkpoint = condition === undefined ? undefined : condition.checkpoint === 'after' || condition.checkpoint === 1 ? 'after' : 'before'
    const exit = condition?.exit ?? (condition?.continueOnFalse ? 'continue' : 'break')
    let passes = 0
    for (let index = 0; index < length; index++) {
      const scope: LoopScope = { item: item(index), index, length }
      if (checkpoint === 'before' && !holds(scope)) {
        if (exit === 'break') return { passes, broken: true }
        continue
      }
      const outcome = await flow.run('body', { scope })
      passes++
      const failed = outcome.status === 'failed' || outcome.status === 'error'
      if (failed && config.exit === 1) return { passes, broken: true }
      if (failed && config.exit === 2) continue
      if (passOn('body', outcome, flow)) return { passes, broken: false }
      if (checkpoint === 'after' && !holds(scope) && exit === 'break') return { passes, broken: true }
    }
    return { passes, broken: false }
  },
})
