/**
 * @module
 * No enabled workflow has that key (or that webhook path): answered as 404.
 */
import { HookflowError } from '../errors/hookflow-error.js'

export class WorkflowNotFoundError extends HookflowError {
  constructor(message: string) {
    super('workflow_not_found', message, { status: 404 })
    this.name = 'WorkflowNotFoundError'
  }
}
