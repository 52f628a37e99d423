/**
 * @module
 * What a template may read at its place in the flow, checked at `register`, so that a
 * template never silently renders nothing:
 *
 * - `$jobsMapByNodeKey.<key>`: a node that runs before this one on some path: earlier in the
 *   chain (or inside an earlier node's branches), an enclosing node, or, inside a loop or
 *   parallel, any node of its branches (an earlier pass or a branch running beside it). Two
 *   branches of a `condition` (a type that `choosesBranch`) exclude each other.
 * - `$scopes.<key>`: a node around this one that runs its branches itself (a loop, a parallel).
 * - `$context.headers.<name>`: a header declared in `trigger.request.headers` (lower-case):
 *   the others are never stored.
 *
 * ```ts
 * const flow = new FlowMap(definition, (type) => registry.get(type)?.nodeType.choosesBranch === true)
 * referenceProblems(compileTemplate(config).reads, { nodeKey: 'notify', base: '/nodes/2/config' }, flow)
 * ```
 */
import { nameList, suggestion } from './did-you-mean.js'
import type { TemplateRead } from './templates/compile-template.js'
import type { DefinitionProblem } from './workflow-definition-error.js'

interface Enclosing {
  readonly key: string
  readonly type: unknown
  readonly branch: string
}

interface Place {
  readonly order: number
  readonly type: unknown
  /** Outermost first. */
  readonly enclosing: readonly Enclosing[]
}

/** Where the reading template sits. */
export interface Reader {
  /** The node whose config holds it; undefined for the trigger. */
  nodeKey?: string
  /** A `deferredConfig` key: the node renders it itself, while its branches run. */
  deferred?: boolean
  /** JSON Pointer of the template's value, without the template's own path. */
  base: string
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Every node of a definition, where it sits, and the headers its trigger keeps. */
export class FlowMap {
  readonly #places = new Map<string, Place>()
  readonly #headers: ReadonlySet<string>

  constructor(
    definition: Readonly<Record<string, unknown>>,
    /** True for a type whose branches run after it, one of them, once (`condition`). */
    private readonly choosesBranch: (type: unknown) => boolean,
  ) {
    this.#walk(definition.nodes, [])
    const trigger = isPlainObject(definition.trigger) ? definition.trigger : {}
    const request = isPlainObject(trigger.request) ? trigger.request : {}
    const headers = Array.isArray(request.headers) ? request.headers : []
    this.#headers = new Set(headers.map((header: { key?: unknown }) => header?.key).filter((key): key is string => typeof key === 'string').map((key) => key.toLowerCase()))
  }

  #walk(chain: unknown, enclosing: readonly Enclosing[]): void {
    if (!Array.isArray(chain)) return
    for (const node of chain) {
      if (!isPlainObject(node) || typeof node.key !== 'string') continue
      // A duplicate key is a problem of its own; the first place stands.
      if (!this.#places.has(node.key)) this.#places.set(node.key, { order: this.#places.size, type: node.type, enclosing })
      if (!isPlainObject(node.branches)) continue
      for (const [branch, sub] of Object.entries(node.branches)) this.#walk(sub, [...enclosing, { key: node.key, type: node.type, branch }])
    }
  }

  /** Whether node `key` can have finished before the template of `reader` renders. */
  mayRunBefore(key: string, reader: Reader): boolean {
    const target = this.#places.get(key)
    const here = reader.nodeKey === undefined ? undefined : this.#places.get(reader.nodeKey)
    if (!target || !here || reader.nodeKey === undefined) return target !== undefined
    const around = this.#around(reader.nodeKey, here, reader.deferred === true)
    // Inside a loop or parallel, any node of its branches may have run: an earlier pass, a
    // branch running beside this one.
    for (const node of around) {
      if (!this.choosesBranch(node.type) && target.enclosing.some((outer) => outer.key === node.key)) return true
    }
    if (key === reader.nodeKey || target.order > here.order) return false
    // Earlier in document order: it ran before, unless it sits in another branch of a node
    // that runs only one of them.
    const depth = Math.min(target.enclosing.length, here.enclosing.length)
    for (let i = 0; i < depth; i++) {
      const a = target.enclosing[i]!
      const b = here.enclosing[i]!
      if (a.key !== b.key) return true
      if (a.branch !== b.branch) return !this.choosesBranch(a.type)
    }
    return true
  }

  /** The keys `$jobsMapByNodeKey` may name at `reader`, in flow order. */
  runBefore(reader: Reader): string[] {
    return [...this.#places.keys()].filter((key) => this.mayRunBefore(key, reader))
  }

  /** The keys `$scopes` may name at `reader`: the nodes around it that run their branches themselves. */
  scopes(reader: Reader): string[] {
    const here = reader.nodeKey === undefined ? undefined : this.#places.get(reader.nodeKey)
    if (!here || reader.nodeKey === undefined) return []
    return this.#around(reader.nodeKey, here, reader.deferred === true)
      .filter((node) => !this.choosesBranch(node.type))
      .map((node) => node.key)
  }

  get headers(): ReadonlySet<string> {
    return this.#headers
  }

  has(key: string): boolean {
    return this.#places.has(key)
  }

  // A deferred config key renders while the node's own branches run: the node is around it.
  #around(key: string, place: Place, deferred: boolean): readonly Pick<Enclosing, 'key' | 'type'>[] {
    return deferred ? [...place.enclosing, { key, type: place.type }] : place.enclosing
  }
}

/** One problem per template that reads what cannot be there, with the names that could. */
export function referenceProblems(reads: readonly TemplateRead[], reader: Reader, flow: FlowMap): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  for (const read of reads) {
    const message = readProblem(read, reader, flow)
    if (message) problems.push({ path: `${reader.base}${read.path}`, message: `${read.template}: ${message}` })
  }
  return problems
}

function readProblem(read: TemplateRead, reader: Reader, flow: FlowMap): string | undefined {
  const [root, first, second] = read.segments
  if (root === '$jobsMapByNodeKey' && first !== undefined && reader.nodeKey !== undefined) {
    const key = String(first)
    if (flow.mayRunBefore(key, reader)) return undefined
    const valid = flow.runBefore(reader)
    const list = `nodes that run before "${reader.nodeKey}": ${nameList(valid)}`
    if (!flow.has(key)) return `no node "${key}" in this workflow${suggestion(key, valid)}; ${list}`
    return `node "${key}" does not run before "${reader.nodeKey}" on any path; ${list}`
  }
  if (root === '$scopes' && first !== undefined) {
    const key = String(first)
    const valid = flow.scopes(reader)
    if (valid.includes(key)) return undefined
    const around = valid.length > 0 ? `around it: ${valid.join(', ')}` : 'none is around it'
    return `"${key}" is not a loop or parallel around this node${suggestion(key, valid)}; ${around}`
  }
  if (root === '$context' && first === 'headers' && second !== undefined) {
    const name = String(second)
    if (flow.headers.has(name)) return undefined
    if (flow.headers.has(name.toLowerCase())) {
      return `headers are stored lower-cased; write ${read.template.replace(name, name.toLowerCase())}`
    }
    const declared = [...flow.headers]
    const hint = declared.length > 0 ? `declared: ${declared.join(', ')}` : `add { "key": "${name}" } to declare it`
    return `header "${name}" is not declared in trigger.request.headers, so it is never stored${suggestion(name, declared)}; ${hint}`
  }
  return undefined
}
