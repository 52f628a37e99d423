/**
 * @module
 * The `loop` node (NocoBase's semantics): runs its `body` branch once per item of `target`,
 * an array, a number `n` (0 .. n-1) or a string (its characters); `null` runs no pass and any
 * other value one. Inside the body, `{{$scopes.<loop key>.item}}`, `.index` and `.length`
 * describe the pass (nested loops each under their own key). An optional `condition` is
 * checked before (default) or after each pass; when false, `exit: "break"` (default) leaves
 * the loop and `"continue"` goes on with the next pass. A body that fails, errors or ends the
 * execution does the same to the loop. Passes beyond the engine's `maxLoopIterations` fail
 * the node. The result is `{ passes, broken }`.
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
import { type Calculation, evaluateCalculation } from './evaluate-calculation.js'

export interface LoopCondition {
  calculation: Calculation
  /** Checked before each pass (default) or after it. */
  checkpoint?: 'before' | 'after'
  /** On false: leave the loop (default) or skip to the next pass. */
  exit?: 'break' | 'continue'
}

export interface LoopConfig {
  target: unknown
  condition?: LoopCondition
}

export interface LoopResult {
  /** Passes whose body ran. */
  passes: number
  /** Left early on a false condition. */
  broken: boolean
}

export interface LoopScope {
  item: unknown
  index: number
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

export const loopNode = defineNode<LoopConfig, LoopResult>({
  type: 'loop',
  branches: ['body'],
  deferredConfig: ['condition'],
  configSchema: {
    type: 'object',
    required: ['target'],
    additionalProperties: false,
    properties: {
      target: {},
      condition: {
        type: 'object',
        required: ['calculation'],
        additionalProperties: false,
        properties: {
          calculation: { type: 'object' },
          checkpoint: { enum: ['before', 'after'] },
          exit: { enum: ['break', 'continue'] },
        },
      },
    },
  },
  async run({ config, flow, node }) {
    const { length, item } = passesOf(config.target)
    const limit = flow.limits.maxLoopIterations
    if (length > limit) throw new IterationLimitError(node.key, limit)
    const hasCondition = flow.render('condition') !== undefined
    const holds = (scope: LoopScope): boolean =>
      evaluateCalculation((flow.render('condition', scope) as LoopCondition).calculation)
    const checkpoint = hasCondition ? ((flow.render('condition') as LoopCondition).checkpoint ?? 'before') : undefined
    const exit = hasCondition ? ((flow.render('condition') as LoopCondition).exit ?? 'break') : 'break'
    let passes = 0
    for (let index = 0; index < length; index++) {
      const scope: LoopScope = { item: item(index), index, length }
      if (checkpoint === 'before' && !holds(scope)) {
        if (exit === 'break') return { passes, broken: true }
        continue
      }
      const outcome = await flow.run('body', { scope })
      passes++
      if (passOn('body', outcome, flow)) return { passes, broken: false }
      if (checkpoint === 'after' && !holds(scope) && exit === 'break') return { passes, broken: true }
    }
    return { passes, broken: false }
  },
})
