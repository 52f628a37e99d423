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

export interface DefinitionProblem {
  /** JSON Pointer into the definition, e.g. `/nodes/0/config/statusCode`; `''` for the whole. */
  path: string
  message: string
}

const brand = Symbol.for('hookflow.workflow-definition-error')

export class WorkflowDefinitionError extends HookflowError {
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
