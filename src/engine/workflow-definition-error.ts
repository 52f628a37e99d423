/**
 * @module
 * Thrown by `engine.register` with every problem of a definition at once.
 *
 * ```ts
 * try { engine.register(def) } catch (error) {
 *   if (WorkflowDefinitionError.is(error)) for (const p of error.problems) console.log(p.path, p.message)
 * }
 * ```
 */
import { HookflowError } from '../errors/hookflow-error.js'

/**
 * One problem of a workflow definition: where (a JSON Pointer) and what.
 *
 * @example
 * ```ts
 * import { createEngine, WorkflowDefinitionError, type DefinitionProblem } from 'hookflow'
 *
 * let problems: readonly DefinitionProblem[] = []
 * try {
 *   createEngine().register({ key: 'bad key', trigger: { type: 'webhook' }, nodes: [] })
 * } catch (error) {
 *   if (WorkflowDefinitionError.is(error)) problems = error.problems
 * }
 * ```
 */
export interface DefinitionProblem {
  /** JSON Pointer into the definition, e.g. `/nodes/0/config/statusCode`; `''` for the whole. */
  path: string
  /** What is wrong there. */
  message: string
}

const brand = Symbol.for('hookflow.workflow-definition-error')

/**
 * Thrown by `engine.register` with every problem of a definition at once (answered 400).
 *
 * @example
 * ```ts
 * import { createEngine, WorkflowDefinitionError } from 'hookflow'
 *
 * try {
 *   createEngine().register({ key: 'orders', trigger: { type: 'webhook' }, nodes: [{ key: 'r', type: 'response', config: { statusCode: 999 } }] })
 * } catch (error) {
 *   if (WorkflowDefinitionError.is(error)) for (const p of error.problems) console.log(p.path, p.message)
 * }
 * ```
 */
export class WorkflowDefinitionError extends HookflowError {
  /** Every problem of the definition, each with its JSON Pointer. */
  readonly problems: readonly DefinitionProblem[]

  constructor(problems: readonly DefinitionProblem[], key?: string) {
    const subject = key ? `Workflow "${key}"` : 'Workflow definition'
    const list = problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n')
    super('invalid_workflow_definition', `${subject} has ${problems.length} problem(s):\n${list}`, { status: 400 })
    this.name = 'WorkflowDefinitionError'
    this.problems = problems
    Object.defineProperty(this, brand, { value: true })
  }

  static override is(value: unknown): value is WorkflowDefinitionError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }
}
