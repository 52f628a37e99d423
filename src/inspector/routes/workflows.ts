/**
 * @module
 * `GET api/workflows`: every registered workflow with what the page shows of it: mode, state,
 * URL, methods, declared variables, its nodes (credentials redacted), and how many executions
 * of each status it had over the last 24 hours.
 *
 * ```ts
 * // GET /hookflow/api/workflows
 * // { items: [{ key, sync, enabled, url, variables, counts: { resolved: 12, ... }, nodes }], countsSince }
 * ```
 */
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../engine/execution.js'
import type { TriggerVariable } from '../../core/trigger-variables.js'
import { json } from '../answers.js'
import type { InspectorContext } from '../inspector-context.js'
import { type NodeOutline, nodeOutline } from '../node-outline.js'

export const COUNT_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * A workflow as the inspector's API lists it: its key, URLs, variables, 24-hour counts and node outline.
 *
 * @example
 * ```ts
 * import type { WorkflowSummary } from 'hookflow/inspector'
 *
 * const response = await fetch('http://localhost:3000/hookflow/api/workflows', { headers: { authorization: 'Basic YWRtaW46czNjcmV0' } })
 * const { items } = (await response.json()) as { items: WorkflowSummary[] }
 * ```
 */
export interface WorkflowSummary {
  /** The workflow's key. */
  key: string
  /** Its title, or null. */
  title: string | null
  /** True for a sync workflow. */
  sync: boolean
  /** False for a disabled workflow (its webhook answers 404). */
  enabled: boolean
  /** The methods its webhook accepts. */
  methods: string[]
  /** The webhook URL on the first trigger (its pattern when it has path parameters); `urls` has one per trigger. */
  url: string
  /** Its webhook URL on each trigger. */
  urls: string[]
  /** The variables its trigger declares, as template paths. */
  variables: TriggerVariable[]
  /** Executions created in the last 24 hours by status; null when the store cannot count. */
  counts: Record<ExecutionStatus, number> | null
  /** Its nodes, outlined, credential-like values redacted. */
  nodes: NodeOutline[]
}

export async function listWorkflows({ engine, triggers }: InspectorContext, request: Request): Promise<Response> {
  const origin = new URL(request.url).origin
  const countsSince = Date.now() - COUNT_WINDOW_MS
  const counted = await engine.store.executions.count?.({ since: countsSince })
  const items: WorkflowSummary[] = []
  for (const workflow of engine.workflows()) {
    const { definition } = workflow
    const urls = triggers.map((trigger) => {
      try {
        return trigger.urlFor(workflow.key, origin)
      } catch {
        // A path pattern with parameters (`/orders/:orderId`) has no one URL: shown as the pattern.
        return `${origin}${trigger.basePath}${definition.trigger.path ?? ''}`
      }
    })
    let counts: WorkflowSummary['counts'] = null
    if (counted) {
      counts = Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, 0])) as Record<ExecutionStatus, number>
      for (const { workflowKey, status, count } of counted) if (workflowKey === workflow.key && status in counts) counts[status] += count
    }
    items.push({
      key: workflow.key,
      title: definition.title ?? null,
      sync: workflow.sync,
      enabled: workflow.enabled,
      methods: definition.trigger.methods ?? ['POST'],
      url: urls[0]!,
      urls,
      variables: triggers[0]!.variables(workflow.key),
      counts,
      nodes: nodeOutline(definition.nodes),
    })
  }
  items.sort((a, b) => a.key.localeCompare(b.key))
  return json({ items, countsSince: counted ? countsSince : null })
}
