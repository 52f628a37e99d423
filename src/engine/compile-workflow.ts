/**
 * @module
 * Validation and compilation of one workflow definition, once, at `register`: the shape
 * (ajv), then every static rule, then templates and node configs compiled so that nothing
 * on the request path parses a template or builds a schema. A definition that compiles is
 * one that runs.
 */
import { parse as parsePathPattern } from 'path-to-regexp'
import type { ValidateFunction } from 'ajv'
import type { AnyWorkflowDefinition as WorkflowDefinition, GenericNodeDefinition as NodeDefinition } from './definition.js'
import type { NodeType } from './node-type.js'
import type { NodeRegistry } from './node-registry.js'
import { schemaProblems } from './schema-problems.js'
import { FlowMap, referenceProblems } from './template-references.js'
import { suggestion } from './did-you-mean.js'
import { type DefinitionProblem, WorkflowDefinitionError } from './workflow-definition-error.js'
import { type CompiledTemplate, compileTemplate, hasTemplate } from './templates/compile-template.js'
import { isHeaderName, responseConfigProblems } from './response-description.js'
import { randomId } from './random-id.js'
import type { RetryPolicy } from './node-retry.js'
import { unansweredPath } from './response-paths.js'
import { templatesReachSchema } from './schema-reach.js'

export const NODE_ROOTS = ['$context', '$jobsMapByNodeKey', '$scopes'] as const
export const TRIGGER_ROOTS = ['$context'] as const

export interface CompiledNode {
  readonly key: string
  readonly type: string
  readonly title: string | undefined
  readonly nodeType: NodeType<any, unknown>
  readonly config: CompiledTemplate
  /** Set when the config holds templates the schema constrains, and so is validated after rendering. */
  readonly validateRendered: ValidateFunction | undefined
  readonly branches: ReadonlyMap<string, readonly CompiledNode[]>
  readonly branchNames: readonly string[]
  /** What node code sees as `node`, built once. */
  readonly info: Readonly<{ key: string; type: string; title?: string; branches: readonly string[] }>
  /** The type's `deferredConfig` keys, compiled apart; rendered by the node (`flow.render`). */
  readonly deferred: ReadonlyMap<string, CompiledTemplate> | undefined
  /** Their raw values, merged in when the rendered config is validated. */
  readonly deferredRaw: Readonly<Record<string, unknown>> | undefined
  readonly retry: RetryPolicy | undefined
}

export interface CompiledWorkflow {
  readonly key: string
  /** The normalized definition (trigger id filled in); a private copy. */
  readonly definition: WorkflowDefinition
  readonly enabled: boolean
  readonly sync: boolean
  /** Workflow timeout in ms; 0 = none. */
  readonly timeout: number
  readonly nodes: readonly CompiledNode[]
  /** Environment variables its templates may read (`{{$env.NAME}}`), from the engine. */
  readonly env: ReadonlySet<string>
  /** Execution-level retry of a failed async run (`options.retry`). */
  readonly retry: RetryPolicy | undefined
  /** What `register` warned about (also emitted as the engine's `warning` events). */
  readonly warnings: readonly WorkflowWarning[]
}

/**
 * A registration finding that does not stop the workflow from running.
 *
 * @example
 * ```ts
 * import { createEngine } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.on('warning', (warning) => console.warn(warning.code, warning.workflowKey, warning.path.join(' > ')))
 * ```
 */
export interface WorkflowWarning {
  /** What kind of finding; `no_response_on_path` for now. */
  code: 'no_response_on_path'
  /** The workflow it is about. */
  workflowKey: string
  /** A sentence for people. */
  message: string
  /** The path: node keys, `key:branch` where it took a branch. */
  path: string[]
}

export interface CompileOptions {
  /** Refuse a sync workflow where some path ends without a Response node (instead of warning). */
  strictResponses?: boolean
  /** Environment variables templates may read as `{{$env.NAME}}` (the engine's allow-list). */
  env?: ReadonlySet<string>
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

class Compiler {
  readonly problems: DefinitionProblem[] = []
  readonly #keys = new Map<string, string>()

  constructor(
    private readonly registry: NodeRegistry,
    private readonly sync: boolean,
    private readonly env: ReadonlySet<string>,
    private readonly flow: FlowMap,
  ) {}

  chain(nodes: readonly NodeDefinition[], path: string): CompiledNode[] {
    const compiled: CompiledNode[] = []
    nodes.forEach((node, i) => {
      const result = this.node(node, `${path}/${i}`)
      if (result) compiled.push(result)
    })
    return compiled
  }

  // Defensive about shape: it also runs on definitions the schema refused, so that one
  // error lists every problem.
  node(node: NodeDefinition, path: string): CompiledNode | undefined {
    if (!isPlainObject(node)) return undefined
    if (typeof node.key === 'string') {
      const seen = this.#keys.get(node.key)
      if (seen !== undefined) this.problem(`${path}/key`, `duplicate node key "${node.key}" (also at ${seen})`)
      else this.#keys.set(node.key, path)
    }

    const registered = typeof node.type === 'string' ? this.registry.get(node.type) : undefined
    const branchDefs = (node as { branches?: unknown }).branches
    const branches = new Map<string, CompiledNode[]>()
    const allowedBranches = registered?.nodeType.branchesFor?.(node.config ?? {}) ?? registered?.nodeType.branches ?? []
    for (const [name, chain] of Object.entries(isPlainObject(branchDefs) ? branchDefs : {})) {
      if (registered && !registered.nodeType.anyBranches && !allowedBranches.includes(name)) {
        const allowed = allowedBranches.length ? allowedBranches.join(', ') : 'none'
        this.problem(`${path}/branches/${name}`, `node type "${node.type}" has no branch "${name}"${suggestion(name, allowedBranches)} (branches: ${allowed})`)
      }
      if (Array.isArray(chain)) branches.set(name, this.chain(chain, `${path}/branches/${name}`))
    }
    if (!registered) {
      if (typeof node.type === 'string' && node.type !== '') {
        const known = this.registry.types()
        this.problem(`${path}/type`, `unknown node type "${node.type}"${suggestion(node.type, known)} (known: ${known.join(', ')})`)
      }
      return undefined
    }
    const { nodeType, validateConfig } = registered
    if (nodeType.syncOnly && !this.sync) {
      this.problem(`${path}/type`, `a "${node.type}" node only works in a sync workflow; set "sync": true`)
    }
    if (nodeType.asyncOnly && this.sync) {
      this.problem(`${path}/type`, `a "${node.type}" node only works in an async workflow; remove "sync": true`)
    }
    const rawConfig: unknown = node.config ?? {}
    if (!isPlainObject(rawConfig)) return undefined
    const { main, deferred, deferredRaw } = this.split(rawConfig, nodeType.deferredConfig, path)
    const config = compileTemplate(main, { roots: NODE_ROOTS, env: this.env })
    for (const p of config.problems) this.problem(`${path}/config${p.path}`, p.message)
    this.references(config.reads, node.key, `${path}/config`, false)
    for (const [key, template] of deferred ?? []) this.references(template.reads, node.key, `${path}/config/${key}`, true)
    const templated = hasTemplate(main)
    if (validateConfig) {
      // What a template could change is checked after rendering; everything else now, however
      // many templates sit beside it.
      for (const p of schemaProblems(validateConfig, rawConfig, { templates: true })) this.problem(`${path}/config${p.path}`, p.message)
    }
    for (const p of nodeType.validate?.(rawConfig, { sync: this.sync }) ?? []) {
      this.problem(`${path}/config${p.path}`, p.message)
    }
    const branchNames = Object.freeze([...branches.keys()])
    const retry = (node as { retry?: RetryPolicy }).retry
    return {
      key: node.key,
      type: node.type,
      title: node.title,
      nodeType,
      config,
      validateRendered: templated && templatesReachSchema(nodeType.configSchema, main) ? validateConfig : undefined,
      branches,
      branchNames,
      info: Object.freeze({ key: node.key, type: node.type, title: node.title, branches: branchNames }),
      deferred,
      deferredRaw,
      retry: isPlainObject(retry) ? retry : undefined,
    }
  }

  // Deferred keys are compiled on their own: the node renders them when it needs them.
  split(
    raw: Record<string, unknown>,
    keys: readonly string[] | undefined,
    path: string,
  ): { main: Record<string, unknown>; deferred?: Map<string, CompiledTemplate>; deferredRaw?: Record<string, unknown> } {
    if (!keys?.some((key) => Object.hasOwn(raw, key))) return { main: raw }
    const main: Record<string, unknown> = { ...raw }
    const deferred = new Map<string, CompiledTemplate>()
    const deferredRaw: Record<string, unknown> = {}
    for (const key of keys) {
      if (!Object.hasOwn(raw, key)) continue
      delete main[key]
      deferredRaw[key] = raw[key]
      const template = compileTemplate(raw[key], { roots: NODE_ROOTS, env: this.env })
      for (const p of template.problems) this.problem(`${path}/config/${key}${p.path}`, p.message)
      deferred.set(key, template)
    }
    return { main, deferred, deferredRaw }
  }

  trigger(definition: WorkflowDefinition): void {
    const trigger = definition.trigger
    if (!isPlainObject(trigger)) return
    if (typeof trigger.path === 'string') {
      try {
        parsePathPattern(trigger.path)
      } catch (error) {
        this.problem('/trigger/path', `is not a valid path pattern: ${(error as Error).message}`)
      }
    }
    const response = trigger.response
    if (isPlainObject(response)) {
      for (const p of responseConfigProblems(response)) this.problem(`/trigger/response${p.path}`, p.message)
      const template = compileTemplate(response, { roots: TRIGGER_ROOTS, env: this.env })
      for (const p of template.problems) this.problem(`/trigger/response${p.path}`, p.message)
      for (const p of referenceProblems(template.reads, { base: '/trigger/response' }, this.flow)) this.problem(p.path, p.message)
    }
    const headers: unknown = isPlainObject(trigger.request) ? trigger.request.headers : undefined
    ;(Array.isArray(headers) ? headers : []).forEach((header: { key?: unknown }, i) => {
      if (typeof header?.key === 'string' && !isHeaderName(header.key)) {
        this.problem(`/trigger/request/headers/${i}/key`, 'must be a valid HTTP header name')
      }
    })
  }

  references(reads: CompiledTemplate['reads'], nodeKey: unknown, base: string, deferred: boolean): void {
    if (typeof nodeKey !== 'string') return
    for (const p of referenceProblems(reads, { nodeKey, base, deferred }, this.flow)) this.problem(p.path, p.message)
  }

  problem(path: string, message: string): void {
    this.problems.push({ path, message })
  }
}

/** Extra checks that need more than the definition (e.g. clashes with other workflows). */
export type DefinitionCheck = (definition: WorkflowDefinition) => DefinitionProblem[]

/** Validates and compiles a definition; throws WorkflowDefinitionError listing every problem. */
export function compileWorkflow(input: unknown, registry: NodeRegistry, check?: DefinitionCheck, options: CompileOptions = {}): CompiledWorkflow {
  const env = options.env ?? new Set<string>()
  const key = isPlainObject(input) && typeof input.key === 'string' ? input.key : undefined
  const problems: DefinitionProblem[] = schemaProblems(registry.validateDefinition, input)
  if (!isPlainObject(input)) throw new WorkflowDefinitionError(problems, key)
  let definition: WorkflowDefinition
  try {
    // A private copy: later changes to the caller's object must not change a running workflow.
    definition = structuredClone(input) as unknown as WorkflowDefinition
  } catch (error) {
    throw new WorkflowDefinitionError([...problems, { path: '', message: `must be plain JSON: ${(error as Error).message}` }], key)
  }
  if (isPlainObject(definition.trigger)) definition.trigger.id ??= randomId()
  const sync = definition.sync === true
  const flow = new FlowMap(definition as unknown as Record<string, unknown>, (type) => typeof type === 'string' && registry.get(type)?.nodeType.choosesBranch === true)
  const compiler = new Compiler(registry, sync, env, flow)
  compiler.trigger(definition)
  const nodes = compiler.chain(Array.isArray(definition.nodes) ? (definition.nodes as NodeDefinition[]) : [], '/nodes')
  problems.push(...compiler.problems, ...(check?.(definition) ?? []))
  if (sync && definition.options?.retry) {
    problems.push({ path: '/options/retry', message: 'execution retry only works in an async workflow; use a node-level "retry" in a sync one' })
  }
  const warnings: WorkflowWarning[] = []
  const open = sync && problems.length === 0 ? unansweredPath(nodes) : undefined
  if (open) {
    const message = `a path ends without a Response node (${open.join(' > ') || 'no nodes'}): its request gets only the default status answer`
    if (definition.options?.strictResponses ?? options.strictResponses) problems.push({ path: '/nodes', message })
    else warnings.push({ code: 'no_response_on_path', workflowKey: definition.key, message, path: open })
  }
  if (problems.length > 0) throw new WorkflowDefinitionError(onePerPlace(problems), key)
  return {
    key: definition.key,
    definition,
    enabled: definition.enabled !== false,
    sync,
    timeout: definition.options?.timeout ?? 0,
    nodes,
    env,
    retry: definition.options?.retry,
    warnings,
  }
}

// The first problem found at a place says what to change there; more would be noise.
function onePerPlace(problems: readonly DefinitionProblem[]): DefinitionProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    if (seen.has(p.path)) return false
    seen.add(p.path)
    return true
  })
}
