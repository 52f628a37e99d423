/**
 * @module
 * The engine's typed events.
 *
 * ```ts
 * engine.on('execution:finished', (execution) => console.log(execution.id, execution.status))
 * ```
 */
import type { ExecutionRecord, JobRecord } from './execution.js'
import type { AnyWorkflowDefinition } from './definition.js'
import type { WorkflowWarning } from './compile-workflow.js'

/**
 * The events an engine emits (it is an EventEmitter), with their arguments.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.on('execution:finished', (execution) => console.log(execution.id, execution.status))
 * engine.on('job:finished', (job, execution) => console.log(execution.workflowKey, job.nodeKey, job.status))
 * engine.on('error', (error) => console.error(error))
 * ```
 */
export interface EngineEvents {
  /** Stored, before it runs (async: queued; sync: started). */
  'execution:created': [execution: ExecutionRecord]
  /** A worker took it and began to run it. */
  'execution:started': [execution: ExecutionRecord]
  /** Stored in its final state, with its jobs. */
  'execution:finished': [execution: ExecutionRecord]
  /** A node run ended (its job is stored on durable stores). */
  'job:finished': [job: JobRecord, execution: { id: string; workflowKey: string }]
  /** `register` added or replaced a workflow. */
  'workflow:registered': [definition: AnyWorkflowDefinition]
  /** `unregister` removed a workflow. */
  'workflow:unregistered': [key: string]
  /** A registration finding that does not stop the workflow (a sync path without a Response node). */
  warning: [warning: WorkflowWarning]
  /** `close()` was called: no new execution is taken (open event streams end here). */
  'engine:close': []
  /** A failure no caller could see (e.g. storing a finished execution after answering). */
  error: [error: Error]
}
