/**
 * @module
 * Finds the workflow for a path under `basePath`: one map lookup for id routes
 * (`<basePath>/<id>`), then the custom path-to-regexp patterns. `basePath` is matched
 * literally, so the `:` in `/api/webhook:trigger` is not a parameter.
 */
import { type MatchFunction, match } from 'path-to-regexp'
import type { CompiledWorkflow } from '../engine/compile-workflow.js'

export interface RouteMatch {
  workflow: CompiledWorkflow
  params: Record<string, string>
}

interface PatternRoute {
  workflow: CompiledWorkflow
  match: MatchFunction<Record<string, string | string[]>>
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

export class Router {
  readonly #basePath: string
  readonly #byId = new Map<string, CompiledWorkflow>()
  readonly #patterns: PatternRoute[] = []

  constructor(basePath: string, workflows: Iterable<CompiledWorkflow>) {
    this.#basePath = basePath
    for (const workflow of workflows) {
      if (!workflow.enabled) continue
      const { id, path } = workflow.definition.trigger
      if (path !== undefined) {
        this.#patterns.push({ workflow, match: match(path, { decode: (v) => safeDecode(v) ?? v }) })
      } else if (id !== undefined) {
        this.#byId.set(id, workflow)
      }
    }
  }

  /** The part of `pathname` under `basePath` (`'/…'` or `''`), or undefined when outside it. */
  rest(pathname: string): string | undefined {
    const base = this.#basePath
    let path = pathname
    if (!path.startsWith(base)) {
      // Some clients percent-encode the `:` of the default base path.
      const decoded = path.includes('%') ? safeDecode(path) : undefined
      if (decoded === undefined || !decoded.startsWith(base)) return undefined
      path = decoded
    }
    const rest = path.slice(base.length)
    return rest === '' || rest.startsWith('/') ? rest : undefined
  }

  match(rest: string): RouteMatch | undefined {
    const id = rest.endsWith('/') ? rest.slice(1, -1) : rest.slice(1)
    const byId = this.#byId.get(id)
    if (byId) return { workflow: byId, params: {} }
    for (const route of this.#patterns) {
      const found = route.match(rest)
      if (found) {
        const params: Record<string, string> = {}
        for (const [name, value] of Object.entries(found.params)) {
          params[name] = Array.isArray(value) ? value.join('/') : String(value)
        }
        return { workflow: route.workflow, params }
      }
    }
    return undefined
  }
}
