/**
 * Helpers for node tests that go through a real webhook: a sync workflow around some nodes
 * whose last node answers with what the test wants to see, and a call that posts JSON to it.
 */
import { expect } from 'vitest'
// Definitions with the test's own node types: typed for any node type.
import type { ExecutionRecord, AnyNodeDefinition as NodeDefinition, ResponseNodeDefinition, WebhookTrigger, AnyWorkflowDefinition as WorkflowDefinition, Engine } from '../../src/index.js'
import { idPath, post, settledExecution } from '../helpers/webhook.js'

/** A sync workflow `key` (trigger id the same) running `nodes`. */
export function syncFlow(key: string, nodes: NodeDefinition[], options: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { key, sync: true, trigger: { type: 'webhook', id: key }, nodes, ...options }
}

/** A Response node answering 200 with `body` (templated). */
export function answer(body: unknown, key = 'answer'): ResponseNodeDefinition {
  return { key, type: 'response', config: { statusCode: 200, body } }
}

export interface Answer {
  status: number
  body: any
  execution: ExecutionRecord
}

/** POSTs `body` as JSON to workflow `key` and returns the answer and the settled execution. */
export async function callFlow(engine: Engine, trigger: WebhookTrigger, key: string, body: unknown = {}): Promise<Answer> {
  const response = await trigger.fetch(post(idPath(key), body))
  const text = await response.text()
  const execution = await settledExecution(engine, response)
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // a text answer stays text
  }
  return { status: response.status, body: parsed, execution }
}

/** The job of node `key` in an execution; fails the test when it did not run. */
export function jobOf(execution: ExecutionRecord, key: string): ExecutionRecord['jobs'][number] {
  const job = execution.jobs.find((candidate) => candidate.nodeKey === key)
  expect(job, `job of node "${key}"`).toBeDefined()
  return job!
}
