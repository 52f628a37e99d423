/**
 * @module
 * The signature schemes by name, and `compileSignature`: the definition's `signature` block
 * checked and compiled once at `register` into the `verify` each delivery runs.
 */
import type { SignatureConfig } from '../../engine/trigger-security-definition.js'
import { genericHmac } from './generic-hmac.js'
import { github } from './github.js'
import { shopify } from './shopify.js'
import { slack } from './slack.js'
import { standardWebhooks } from './standard-webhooks.js'
import { stripe } from './stripe.js'
import { twilio } from './twilio.js'
import type { SignatureScheme, Verify } from './signature-scheme.js'
import { DEFAULT_TOLERANCE_SECONDS } from './timestamp.js'

export const SIGNATURE_SCHEME_IMPLEMENTATIONS: ReadonlyMap<string, SignatureScheme> = new Map(
  [standardWebhooks, github, stripe, slack, shopify, twilio, genericHmac].map((scheme) => [scheme.name, scheme]),
)

const COMMON_OPTIONS = new Set(['scheme', 'secrets', 'toleranceSeconds'])

/** Compiles a (shape-valid) `signature` block; reports problems relative to it. */
export function compileSignature(
  config: SignatureConfig,
  secrets: readonly string[],
  problem: (path: string, message: string) => void,
): Verify | undefined {
  const scheme = SIGNATURE_SCHEME_IMPLEMENTATIONS.get(config.scheme)
  if (!scheme) return undefined
  for (const option of Object.keys(config)) {
    if (!COMMON_OPTIONS.has(option) && !(scheme.options as readonly string[]).includes(option)) {
      problem(`/${option}`, `is not an option of scheme "${config.scheme}"`)
    }
  }
  return scheme.compile({ config, secrets, toleranceSeconds: config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, problem })
}
