/**
 * @module
 * The HTTP side of one workflow's webhook trigger, compiled once per registered workflow:
 * allowed methods, the credential checker, which headers to keep, and the async answer.
 */
import type { CompiledWorkflow } from '../engine/compile-workflow.js'
import { TRIGGER_ROOTS } from '../engine/compile-workflow.js'
import { type CompiledTemplate, compileTemplate } from '../engine/templates/compile-template.js'
import { basicAuthChecker } from './basic-auth.js'

/** Never stored, whatever a definition asks for. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie'])

export const DEFAULT_SYNC_TIMEOUT = 30_000

export interface CompiledTrigger {
  readonly workflow: CompiledWorkflow
  readonly methods: ReadonlySet<string>
  /** The `Allow` header: the configured methods. */
  readonly allow: string
  readonly checkCredentials: ((authorization: string | null) => boolean) | undefined
  readonly headerKeys: readonly string[]
  /** The async answer, templated with `$context`. */
  readonly response: CompiledTemplate
  /** Sync only: the longest wait for an answer. */
  readonly timeout: number
}

const compiled = new WeakMap<CompiledWorkflow, CompiledTrigger>()

export function compileTrigger(workflow: CompiledWorkflow): CompiledTrigger {
  const cached = compiled.get(workflow)
  if (cached) return cached
  const trigger = workflow.definition.trigger
  const methods = trigger.methods ?? ['POST']
  const auth = trigger.basicAuthentication
  const response = trigger.response ?? {}
  const result: CompiledTrigger = {
    workflow,
    methods: new Set(methods),
    allow: methods.join(', '),
    checkCredentials: auth ? basicAuthChecker(auth.username, auth.password) : undefined,
    headerKeys: [...new Set((trigger.request?.headers ?? []).map((h) => h.key.toLowerCase()))].filter(
      (key) => !SECRET_HEADERS.has(key),
    ),
    response: compileTemplate(
      {
        statusCode: response.statusCode ?? 200,
        headers: response.headers ?? [],
        body: 'body' in response ? response.body : 'ok',
      },
      { roots: TRIGGER_ROOTS },
    ),
    timeout: trigger.timeout ?? DEFAULT_SYNC_TIMEOUT,
  }
  compiled.set(workflow, result)
  return result
}
