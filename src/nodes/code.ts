/**
 * @module
 * The `code` node: calls a function registered in code under a name, never source text from
 * a definition. `createEngine({ functions: { scoreLead } })` builds this node type around the
 * engine's own functions; a definition names one with `function` and passes templated `args`.
 * An unknown name is refused at `register`.
 *
 * ```ts
 * const engine = createEngine({
 *   functions: { scoreLead: ({ args }) => ({ score: Number(args.employees) > 100 ? 9 : 3 }) },
 * })
 * // { "key": "score", "type": "code", "config": { "function": "scoreLead", "args": { "employees": "{{$context.body.size}}" } } }
 * ```
 */
import { defineNode, type NodeType } from '../engine/node-type.js'
import type { TriggerContext } from '../engine/execution.js'
import { HookflowError } from '../errors/hookflow-error.js'

/**
 * What a code function receives: the node's rendered `args`, a signal, the node, and copies of the execution and earlier results.
 *
 * @example
 * ```ts
 * import type { CodeFunctionArgs } from 'hookflow'
 *
 * function scoreLead({ args, execution }: CodeFunctionArgs): number {
 *   return Number(args.employees) > 100 ? 9 : execution.workflowKey === 'vip' ? 5 : 3
 * }
 * ```
 */
export interface CodeFunctionArgs {
  /** The node's rendered `args` (a copy: changing it changes nothing else). */
  args: Record<string, unknown>
  /** Fires when the execution is aborted; pass it on to whatever the function awaits. */
  signal: AbortSignal
  /** The node that calls the function. */
  node: { key: string; title?: string }
  /** Copies of what the execution knows so far: reading is the point, writing changes nothing. */
  execution: { id: string; workflowKey: string; context: TriggerContext }
  /** Results of the nodes that ran so far, by node key. */
  jobs: Readonly<Record<string, unknown>>
}

/**
 * A function a `code` node can call; its (JSON) return value is the job's result.
 *
 * @example
 * ```ts
 * import { createEngine, type CodeFunction } from 'hookflow'
 *
 * const slugify: CodeFunction = ({ args }) => String(args.title).toLowerCase().replace(/[^a-z0-9]+/g, '-')
 * const engine = createEngine({ functions: { slugify } })
 * ```
 */
export type CodeFunction = (input: CodeFunctionArgs) => unknown

/**
 * A Code node's config: the function's name and its (templated) arguments.
 *
 * @example
 * ```ts
 * import type { CodeConfig } from 'hookflow'
 *
 * const config: CodeConfig = { function: 'scoreLead', args: { employees: '{{$context.body.size}}' } }
 * ```
 */
export interface CodeConfig {
  /** The name the function was registered under (`createEngine({ functions })`). */
  function: string
  /** Arguments, templated, handed to the function as `args`. */
  args?: Record<string, unknown>
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,127}$/

/**
 * The `code` node type over these functions (names as given, own properties only).
 *
 * @example
 * ```ts
 * import { createCodeNode } from 'hookflow'
 *
 * const code = createCodeNode({ double: ({ args }) => Number(args.value) * 2 })
 * console.log(code.type) // 'code'
 * ```
 */
export function createCodeNode(functions: Readonly<Record<string, CodeFunction>> = {}): NodeType<CodeConfig, unknown> {
  const registered = new Map<string, CodeFunction>()
  for (const [name, fn] of Object.entries(functions)) {
    if (!NAME.test(name)) throw new TypeError(`Function name "${name}" must match ${NAME}`)
    if (typeof fn !== 'function') throw new TypeError(`functions.${name} is not a function`)
    registered.set(name, fn)
  }
  const known = (): string => (registered.size ? [...registered.keys()].join(', ') : 'none; pass createEngine({ functions })')

  return defineNode<CodeConfig, unknown>({
    type: 'code',
    configSchema: {
      type: 'object',
      required: ['function'],
      additionalProperties: false,
      properties: { function: { type: 'string', minLength: 1 }, args: { type: 'object' } },
    },
    validate(raw) {
      const name = (raw as Partial<CodeConfig>).function
      if (typeof name !== 'string' || name.includes('{{') || registered.has(name)) return []
      return [{ path: '/function', message: `no function "${name}" is registered (registered: ${known()})` }]
    },
    async run({ config, signal, node, execution, jobs }) {
      const fn = registered.get(config.function)
      if (!fn) {
        throw new HookflowError('code_function_unknown', `no function "${config.function}" is registered (registered: ${known()})`)
      }
      // Copies: rendered args of a static config are the definition's own objects, and the
      // context and earlier results belong to the run.
      return fn({
        args: structuredClone(config.args ?? {}),
        signal,
        node: { key: node.key, ...(node.title === undefined ? {} : { title: node.title }) },
        execution: { id: execution.id, workflowKey: execution.workflowKey, context: structuredClone(execution.context) },
        jobs: structuredClone(jobs),
      })
    },
  })
}
