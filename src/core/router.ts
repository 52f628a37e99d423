/**
 * @module
 * Finds the workflow for a path under `basePath`: one map lookup for id routes
 * (`<basePath>/<id>`), then the custom path-to-regexp patterns. `basePath` is matched
 * literally, so the `:` in `/api/webhook:trigger` is not a parameter. `canMatch` tells the
 * paths some route could take (any well-formed id, any registered pattern, enabled or not)
 * from the rest, which a framework mount hands back to the framework.
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

// What `<basePath>/<id>` can hold: a trigger id as the definition schema allows it, maybe a `/` after.
const ID_ROUTE = /^\/[A-Za-z0-9_-]{1,128}\/?$/

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
  /** Patterns of disabled workflows: their paths are well-formed webhook paths (answered 404). */
  readonly #disabledPatterns: MatchFunction<Record<string, string | string[]>>[] = []

  constructor(basePath: string, workflows: Iterable<CompiledWorkflow>) {
    this.#basePath = basePath
    for (const workflow of workflows) {
      const { id, path } = workflow.definition.trigger
      if (path !== undefined) {
        const matcher = match<Record<string, string | string[]>>(path, { decode: (v) => safeDecode(v) ?? v })
        if (workflow.enabled) this.#patterns.push({ workflow, match: matcher })
        else this.#disabledPatterns.push(matcher)
      } else if (id !== undefined && workflow.enabled) {
        this.#byId.set(id, workflow)
      }
    }
  }

  /**
   * True when some route could match `rest` (from `rest()`): `/<id>` for any well-formed id,
   * registered or not, or the `trigger.path` pattern of a registered workflow, enabled or not.
   */
  canMatch(rest: string): boolean {
    if (ID_ROUTE.test(rest)) return true
    for (const route of this.#patterns) if (route.match(rest)) return true
    for (const matcher of this.#disabledPatterns) if (matcher(rest)) return true
    return false
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
