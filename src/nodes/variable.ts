/**
 * @module
 * The `variable` node, as NocoBase has it: without `target` it declares a variable, its
 * value the job's result (`{{$jobsMapByNodeKey.<its key>}}`); with `target` (the key of an
 * earlier variable node) it assigns: the new value becomes the target's result for every
 * node after it, and is also this job's result. The assignment is recorded on the job, so a
 * resumed run sees the same value.
 *
 * ```json
 * { "key": "total", "type": "variable", "config": { "value": 0 } }
 * { "key": "addShipping", "type": "variable", "config": { "target": "total", "value": "{{$jobsMapByNodeKey.withShipping}}" } }
 * ```
 */
import { defineNode, type ConfigProblem } from '../engine/node-type.js'
import { HookflowError } from '../errors/hookflow-error.js'

/**
 * A Variable node's config: a value, and the earlier Variable node it assigns to (none to declare).
 *
 * @example
 * ```ts
 * import type { VariableConfig } from 'hookflow'
 *
 * const declare: VariableConfig = { value: 0 }
 * const assign: VariableConfig = { target: 'count', value: '{{$jobsMapByNodeKey.sum}}' }
 * ```
 */
export interface VariableConfig {
  /** The (templated) value; `null` when absent. */
  value?: unknown
  /** Key of the variable node to assign to; absent to declare. */
  target?: string
}

function problems(raw: unknown): ConfigProblem[] {
  const target = (raw as VariableConfig).target
  if (typeof target === 'string' && target.includes('{{')) {
    return [{ path: '/target', message: 'the target is a node key, not a template' }]
  }
  return []
}

/**
 * The `variable` node type: declares a value, or assigns a new one to an earlier variable.
 *
 * @example
 * ```ts
 * import { variableNode } from 'hookflow'
 *
 * console.log(variableNode.type) // 'variable'
 * ```
 */
export const variableNode = defineNode<VariableConfig, unknown>({
  type: 'variable',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      value: {},
      target: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    },
  },
  validate: problems,
  run({ config, node, jobs, flow }) {
    const value = config.value === undefined ? null : config.value
    const target = config.target
    if (target === undefined) return value
    if (target === node.key || !Object.hasOwn(jobs, target)) {
      throw new HookflowError(
        'variable_not_declared',
        `variable "${target}" is not declared: no node with that key ran before "${node.key}"`,
      )
    }
    flow.assign(target)
    return value
  },
})
