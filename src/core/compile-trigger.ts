/**
 * @module
 * The HTTP side of one workflow's webhook trigger, compiled once per registered workflow:
 * allowed methods, the credential checker, which headers to keep, and the async answer.
 */
import type { CompiledWorkflow } from '../engine/compile-workflow.js'
import { TRIGGER_ROOTS } from '../engine/compile-workflow.js'
import { type CompiledTemplate, compileTemplate } from '../engine/templates/compile-template.js'
import { basicAuthChecker } from './basic-auth.js'
import type { ResponseDescription } from '../engine/execution.js'
import { toResponseDescription } from '../engine/response-description.js'
import { type TriggerSecurity, triggerSecurityOf } from './trigger-security.js'
import { type BodyOptions, compileBodyOptions } from './body/body-options.js'

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
  /** The async answer when it holds no template: checked once, sent as is. */
  readonly staticResponse: ResponseDescription | undefined
  /** Sync only: the longest wait for an answer. */
  readonly timeout: number
  /** Signature, token, IP, hook and idempotency settings; null when there are none. */
  readonly security: TriggerSecurity | null
  /** Accepted body kinds and multipart file limits. */
  readonly body: BodyOptions
}

const compiled = new WeakMap<CompiledWorkflow, CompiledTrigger>()

export function compileTrigger(workflow: CompiledWorkflow): CompiledTrigger {
  const cached = compiled.get(workflow)
  if (cached) return cached
  const trigger = workflow.definition.trigger
  const methods = trigger.methods ?? ['POST']
  const auth = trigger.basicAuthentication
  const security = triggerSecurityOf(trigger)
  const responseConfig = trigger.response ?? {}
  const response = compileTemplate(
    {
      statusCode: responseConfig.statusCode ?? 200,
      headers: responseConfig.headers ?? [],
      body: 'body' in responseConfig ? responseConfig.body : 'ok',
    },
    { roots: TRIGGER_ROOTS, env: workflow.env },
  )
  const result: CompiledTrigger = {
    workflow,
    methods: new Set(methods),
    allow: methods.join(', '),
    checkCredentials: auth ? basicAuthChecker(auth.username, auth.password) : undefined,
    headerKeys: [...new Set((trigger.request?.headers ?? []).map((h) => h.key.toLowerCase()))].filter(
      (key) => !SECRET_HEADERS.has(key) && key !== security?.secretHeader,
    ),
    response,
    staticResponse: response.isStatic ? toResponseDescription(response.render({}) as object) : undefined,
    timeout: trigger.timeout ?? DEFAULT_SYNC_TIMEOUT,
    security,
    body: compileBodyOptions(trigger.request),
  }
  compiled.set(workflow, result)
  return result
}
