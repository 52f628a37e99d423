/**
 * @module
 * No enabled workflow has that key (or that webhook path): answered as 404.
 */
import { HookflowError } from '../errors/hookflow-error.js'

/**
 * No enabled workflow has that key or webhook path: answered 404.
 *
 * @example
 * ```ts
 * import { createEngine, HookflowError } from 'hookflow'
 *
 * try {
 *   await createEngine().run('missing')
 * } catch (error) {
 *   if (HookflowError.is(error) && error.code === 'workflow_not_found') console.log(error.status) // 404
 * }
 * ```
 */
export class WorkflowNotFoundError extends HookflowError {
  constructor(message: string) {
    super('workflow_not_found', message, { status: 404 })
    this.name = 'WorkflowNotFoundError'
  }
}
