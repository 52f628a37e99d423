/**
 * @module
 * What a trigger offers editors and tooling: its URL, and the variables its definition
 * declares (headers, query and body entries with their aliases, path params) as template paths.
 */
import { compile, parse } from 'path-to-regexp'
import type { CompiledWorkflow } from '../engine/compile-workflow.js'

/**
 * A variable a trigger's definition declares, with the template path that reads it.
 *
 * @example
 * ```ts
 * import { createEngine, WebhookTrigger, type TriggerVariable } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({ key: 'orders', trigger: { type: 'webhook', id: 'orders', request: { body: [{ key: 'order.id', alias: 'Order' }] } }, nodes: [] })
 * const variables: TriggerVariable[] = new WebhookTrigger({ engine }).variables('orders')
 * // [{ source: 'body', key: 'order.id', alias: 'Order', path: '$context.body.order.id', template: '{{$context.body.order.id}}' }]
 * ```
 */
export interface TriggerVariable {
  /** Where the value comes from in `$context`. */
  source: 'headers' | 'query' | 'body' | 'params'
  /** The key as declared (`b.c`, `x-request-id`). */
  key: string
  /** The label the definition gives it. */
  alias?: string
  /** Ready for a template: `$context.body.b.c`. */
  path: string
  /** `{{$context.body.b.c}}`. */
  template: string
}

function variable(source: TriggerVariable['source'], key: string, alias?: string): TriggerVariable {
  const path = `$context.${source}.${key}`
  return { source, key, ...(alias ? { alias } : {}), path, template: `{{${path}}}` }
}

export function triggerVariables(workflow: CompiledWorkflow): TriggerVariable[] {
  const { request, path } = workflow.definition.trigger
  const out: TriggerVariable[] = []
  for (const h of request?.headers ?? []) out.push(variable('headers', h.key.toLowerCase(), h.alias))
  for (const q of request?.query ?? []) out.push(variable('query', q.key, q.alias))
  for (const b of request?.body ?? []) out.push(variable('body', b.key, b.alias))
  if (path !== undefined) {
    const walk = (tokens: ReturnType<typeof parse>['tokens']): void => {
      for (const token of tokens) {
        if (token.type === 'param' || token.type === 'wildcard') out.push(variable('params', token.name))
        else if (token.type === 'group') walk(token.tokens)
      }
    }
    walk(parse(path).tokens)
  }
  return out
}

/** The workflow's path pattern under `basePath`, as OpenTelemetry's `http.route`: `/api/webhook:trigger/pay`. */
export function routePattern(basePath: string, workflow: CompiledWorkflow): string {
  const { id, path } = workflow.definition.trigger
  return `${basePath}${path ?? `/${id}`}`
}

export function triggerUrl(
  workflow: CompiledWorkflow,
  basePath: string,
  origin: string,
  params: Record<string, string>,
): string {
  const { id, path } = workflow.definition.trigger
  const rest = path === undefined ? `/${encodeURIComponent(id!)}` : compile(path)(params)
  return `${origin.replace(/\/+$/, '')}${basePath}${rest}`
}
