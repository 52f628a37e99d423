/**
 * @module
 * `trigger.idempotency`, compiled at `register`: where the delivery id comes from (a header, a
 * template over the parsed request, or a scheme's preset) and how long it is remembered. The
 * id becomes the execution's event key, scoped to the workflow; the store's unique event key
 * makes "one execution per id" atomic, and its window (contract B) lets the id be used again
 * once `ttlMs` has passed.
 */
import type { IdempotencyConfig, SignatureSchemeName } from '../../engine/trigger-security-definition.js'
import type { TriggerContext } from '../../engine/execution.js'
import { TRIGGER_ROOTS } from '../../engine/compile-workflow.js'
import { compileTemplate } from '../../engine/templates/compile-template.js'
import { badRequest } from '../http-errors.js'
import { IDEMPOTENCY_PRESETS } from './presets.js'

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** Longer ids are refused (400): a sender's delivery id is short, a hostile one may not be. */
const MAX_KEY_LENGTH = 512

export interface IdempotentDelivery {
  readonly eventKey: string
  readonly eventKeyTtlMs: number
}

export interface CompiledIdempotency {
  /** The event key for this delivery; undefined when it carries no id (and none is required). */
  eventFor(request: Request, context: TriggerContext, workflowKey: string): IdempotentDelivery | undefined
}

export function compileIdempotency(
  input: IdempotencyConfig | boolean,
  scheme: SignatureSchemeName | undefined,
  problem: (path: string, message: string) => void,
): CompiledIdempotency | undefined {
  if (input === false) return undefined
  const config: IdempotencyConfig = input === true ? { preset: 'auto' } : input
  if (config.key !== undefined && config.preset !== undefined) problem('', 'takes a key or a preset, not both')
  if (config.key === undefined && config.preset === undefined) problem('', 'needs a key (a header name or a template) or a preset')
  const presetName = config.preset === 'auto' ? scheme : config.preset
  if (config.preset === 'auto' && (scheme === undefined || scheme === 'hmac')) {
    problem(input === true ? '' : '/preset', 'has no preset without a signature scheme that names a delivery id; set "key"')
  }
  const source = config.key !== undefined
    ? config.key.includes('{{') ? { template: config.key } : { headers: [config.key.toLowerCase()] }
    : presetName !== undefined && presetName !== 'hmac' ? IDEMPOTENCY_PRESETS[presetName] : {}
  const template = source.template === undefined ? undefined : compileTemplate(source.template, { roots: TRIGGER_ROOTS })
  for (const p of template?.problems ?? []) problem('/key', p.message)
  const headers = source.headers ?? []
  const ttlMs = config.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS
  const required = config.required === true
  // What the sender left out, named in the 400.
  const wanted = [
    ...headers.map((name) => `header "${name}"`),
    ...(source.template === undefined ? [] : [`a value at ${source.template}`]),
  ].join(' or ')
  const missing = `The delivery carries no idempotency key; expected ${wanted || 'one'} (trigger.idempotency)`

  return {
    eventFor(request, context, workflowKey) {
      let id: unknown
      for (const name of headers) {
        id = request.headers.get(name) ?? undefined
        if (id !== undefined) break
      }
      if (template) id = template.render({ $context: context })
      const key = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : ''
      if (key === '') {
        if (required) throw badRequest('idempotency_key_missing', missing)
        return undefined
      }
      if (key.length > MAX_KEY_LENGTH) throw badRequest('idempotency_key_invalid', `The idempotency key is longer than ${MAX_KEY_LENGTH} characters`)
      return { eventKey: `webhook:${workflowKey}:${key}`, eventKeyTtlMs: ttlMs }
    },
  }
}
