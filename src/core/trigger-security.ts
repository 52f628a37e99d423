/**
 * @module
 * A trigger's trust settings compiled together, once, at `register`: secrets read from the
 * environment, signature scheme, token, IP allow-list, the named `authenticate` hook and
 * idempotency. `createEngine` passes `triggerSecurityCheck` to the engine, so every problem
 * (a missing environment variable, a bad CIDR, an unknown hook) fails `register`; the webhook
 * core then finds the compiled settings by the workflow's trigger.
 *
 * ```ts
 * const engine = new Engine({ ...parts, checkDefinition: triggerSecurityCheck({ authenticators }) })
 * ```
 */
import type { DefinitionCheck } from '../engine/compile-workflow.js'
import type { AnyWorkflowDefinition, WebhookTriggerConfig } from '../engine/definition.js'
import type { DefinitionProblem } from '../engine/workflow-definition-error.js'
import type { Authenticator } from './auth/authenticator.js'
import { tokenRefused } from './auth/auth-errors.js'
import { clientAddress } from './auth/client-address.js'
import { compileIpAllowList, type IpCheck } from './auth/ip-allow-list.js'
import { compileTokenAuth, type TokenCheck } from './auth/token-auth.js'
import { type CompiledIdempotency, compileIdempotency } from './idempotency/compile-idempotency.js'
import { defaultEnvironment, type Environment, resolveSecrets } from './secret-refs.js'
import type { Verify } from './signature/signature-scheme.js'
import { compileSignature } from './signature/signature-schemes.js'

export interface TriggerSecurityOptions {
  /** The hooks definitions name in `trigger.authenticate`. */
  authenticators?: Readonly<Record<string, Authenticator>>
  /** Where `{ env: 'NAME' }` secrets are read. Default `process.env`. */
  env?: Environment
}

export interface TriggerSecurity {
  /** A header holding a secret token: never stored in `$context`. */
  readonly secretHeader: string | undefined
  /** Token, IP and hook checks (before the body); a `Response` from a hook is the answer. */
  access(request: Request, peer: string | undefined, workflowKey: string): Promise<Response | undefined>
  readonly verify: Verify | undefined
  readonly idempotency: CompiledIdempotency | undefined
}

const KEYS = ['signature', 'tokenAuthentication', 'ipAllowList', 'authenticate', 'idempotency'] as const

// Keyed by a registered workflow's own (private) trigger object: one engine's settings are
// never seen by another.
const compiled = new WeakMap<object, TriggerSecurity | null>()

/** Compiles the trust settings; `security` is null when the trigger has none. */
export function compileTriggerSecurity(
  trigger: WebhookTriggerConfig,
  options: TriggerSecurityOptions = {},
): { security: TriggerSecurity | null; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = []
  if (!KEYS.some((key) => trigger[key] !== undefined && trigger[key] !== false)) return { security: null, problems }
  const at = (base: string) => (path: string, message: string) => problems.push({ path: `/trigger/${base}${path}`, message })
  const env = options.env ?? defaultEnvironment()

  let verify: Verify | undefined
  if (trigger.signature) {
    const secrets = resolveSecrets(trigger.signature.secrets, env, at('signature/secrets'))
    verify = compileSignature(trigger.signature, secrets, at('signature'))
  }
  let token: TokenCheck | undefined
  const tokenConfig = trigger.tokenAuthentication
  if (tokenConfig) {
    const one = tokenConfig.token === undefined ? [] : resolveSecrets([tokenConfig.token], env, (_, m) => at('tokenAuthentication/token/env')('', m))
    const many = resolveSecrets(tokenConfig.tokens ?? [], env, at('tokenAuthentication/tokens'))
    if (one.length + many.length === 0) at('tokenAuthentication')('', 'needs a token or tokens')
    token = compileTokenAuth(tokenConfig, [...one, ...many])
  }
  const ip: IpCheck | undefined = trigger.ipAllowList && compileIpAllowList(trigger.ipAllowList, at('ipAllowList'))
  let hook: Authenticator | undefined
  if (trigger.authenticate !== undefined) {
    const hooks = options.authenticators ?? {}
    hook = Object.hasOwn(hooks, trigger.authenticate) ? hooks[trigger.authenticate] : undefined
    if (typeof hook !== 'function') {
      const known = Object.keys(hooks)
      at('authenticate')('', `no authenticator "${trigger.authenticate}" was given to createEngine({ authenticators })${known.length ? ` (known: ${known.join(', ')})` : ''}`)
    }
  }
  const idempotency = trigger.idempotency === undefined
    ? undefined
    : compileIdempotency(trigger.idempotency, trigger.signature?.scheme, at('idempotency'))

  const needsAddress = ip !== undefined || hook !== undefined
  const security: TriggerSecurity = {
    secretHeader: token?.header === 'authorization' ? undefined : token?.header,
    async access(request, peer, workflowKey) {
      token?.check(request.headers)
      if (!needsAddress) return undefined
      const address = clientAddress(request.headers.get('x-forwarded-for'), peer, ip?.trustProxy ?? false)
      ip?.check(address)
      if (!hook) return undefined
      const verdict = await hook(request, { workflowKey, clientAddress: address })
      if (verdict === true) return undefined
      if (verdict instanceof Response) return verdict
      throw tokenRefused(undefined)
    },
    verify,
    idempotency,
  }
  return { security, problems }
}

/** The `register`-time check `createEngine` installs: compiles and remembers each trigger's settings. */
export function triggerSecurityCheck(options: TriggerSecurityOptions = {}): DefinitionCheck {
  return (definition: AnyWorkflowDefinition) => {
    const trigger = definition.trigger
    if (typeof trigger !== 'object' || trigger === null) return []
    let result: ReturnType<typeof compileTriggerSecurity>
    try {
      result = compileTriggerSecurity(trigger, options)
    } catch {
      // Only a trigger the schema refused gets here, and that refusal is already reported.
      return []
    }
    if (result.problems.length === 0) compiled.set(trigger, result.security)
    return result.problems
  }
}

/**
 * The compiled settings of a registered trigger. An engine built without the check (a bare
 * `new Engine`) gets them compiled here, on first use, without authenticators.
 */
export function triggerSecurityOf(trigger: WebhookTriggerConfig): TriggerSecurity | null {
  const cached = compiled.get(trigger)
  if (cached !== undefined) return cached
  const { security, problems } = compileTriggerSecurity(trigger)
  if (problems.length > 0) {
    // A plain Error: reported through `onError` and answered 500 without the details.
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ')
    throw new Error(`The webhook trigger's settings are invalid (register it through createEngine to catch this at register): ${list}`)
  }
  compiled.set(trigger, security)
  return security
}
