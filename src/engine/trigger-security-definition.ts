/**
 * @module
 * The trust settings of a webhook trigger in the definition format: signature verification,
 * bearer/header tokens, an IP allow-list, a named `authenticate` hook and idempotency. Plain
 * JSON, so secrets may be named by environment variable instead of written in.
 *
 * ```ts
 * const trigger: WebhookTriggerConfig = {
 *   type: 'webhook',
 *   signature: { scheme: 'github', secrets: [{ env: 'GITHUB_WEBHOOK_SECRET' }] },
 *   idempotency: true, // X-GitHub-Delivery
 * }
 * ```
 */

/**
 * A secret value, or the name of an environment variable read once at `register`.
 *
 * @example
 * ```ts
 * import type { SecretRef } from 'hookflow'
 *
 * const fromEnvironment: SecretRef = { env: 'STRIPE_WEBHOOK_SECRET' }
 * const written: SecretRef = 'whsec_test_secret'
 * ```
 */
export type SecretRef = string | { env: string }

/**
 * The signature schemes a trigger's `signature.scheme` may name. `hookflow` exports it as a type
 * only (`export type *`), so code reads the names through `typeof`.
 *
 * @example
 * ```ts
 * import type { SIGNATURE_SCHEMES } from 'hookflow'
 *
 * type Scheme = (typeof SIGNATURE_SCHEMES)[number] // 'standard-webhooks' | 'github' | …
 * const scheme: Scheme = 'stripe'
 * ```
 */
export const SIGNATURE_SCHEMES = ['standard-webhooks', 'github', 'stripe', 'slack', 'shopify', 'twilio', 'hmac'] as const
/**
 * The name of a signature scheme: a sender's preset (`stripe`, `github`…) or `hmac` for your own.
 *
 * @example
 * ```ts
 * import type { SignatureSchemeName } from 'hookflow'
 *
 * const scheme: SignatureSchemeName = 'standard-webhooks'
 * ```
 */
export type SignatureSchemeName = (typeof SIGNATURE_SCHEMES)[number]

/**
 * How a trigger verifies the sender's signature over the raw body (401 when it does not match).
 *
 * @example
 * ```ts
 * import type { SignatureConfig } from 'hookflow'
 *
 * const stripe: SignatureConfig = { scheme: 'stripe', secrets: [{ env: 'STRIPE_WEBHOOK_SECRET' }] }
 * const own: SignatureConfig = { scheme: 'hmac', secrets: ['s3cret'], header: 'x-signature', prefix: 'sha256=' }
 * ```
 */
export interface SignatureConfig {
  /** Whose signature: a sender's preset, or `hmac` with the fields below. */
  scheme: SignatureSchemeName
  /** One or more: a signature made with any of them passes (rotation). */
  secrets: SecretRef[]
  /** Largest distance of a signed timestamp from now, either way. Default 300; 0 turns the window off. */
  toleranceSeconds?: number
  /** `twilio`: the public origin Twilio calls (`https://example.com`) when a proxy changes it. */
  publicOrigin?: string
  /** `hmac` only. Default `sha256`. */
  algorithm?: 'sha1' | 'sha256' | 'sha512'
  /** `hmac` only: how the signature is written. Default `hex`. */
  encoding?: 'hex' | 'base64'
  /** `hmac` only: the header carrying the signature. */
  header?: string
  /** `hmac` only: text before the signature in the header, e.g. `sha256=`. */
  prefix?: string
  /** `hmac` only: the header carrying a Unix timestamp in seconds (then `signedContent` must sign it). */
  timestampHeader?: string
  /** `hmac` only: what is signed; `{body}` (the raw bytes), `{timestamp}`, `{method}`, `{url}`. Default `{body}`. */
  signedContent?: string
  /** `hmac` only: how the secrets are written. Default `utf8`. */
  secretEncoding?: 'utf8' | 'hex' | 'base64'
}

/**
 * A bearer token, or a token in another header, that a delivery must carry (401 otherwise).
 *
 * @example
 * ```ts
 * import type { TokenAuthenticationConfig } from 'hookflow'
 *
 * const bearer: TokenAuthenticationConfig = { tokens: [{ env: 'HOOK_TOKEN' }, { env: 'HOOK_TOKEN_NEXT' }] }
 * const header: TokenAuthenticationConfig = { header: 'x-api-key', token: { env: 'API_KEY' } }
 * ```
 */
export interface TokenAuthenticationConfig {
  /** Default `authorization`. Never stored in `$context`. */
  header?: string
  /** The word before the token. Default `Bearer` on `authorization`, none on other headers. */
  scheme?: string
  /** The token a delivery must carry. */
  token?: SecretRef
  /** Several accepted tokens (rotation); any of them passes. */
  tokens?: SecretRef[]
}

/**
 * The client addresses a trigger accepts (403 for others), and how to find the address behind proxies.
 *
 * @example
 * ```ts
 * import type { IpAllowListConfig } from 'hookflow'
 *
 * const office: IpAllowListConfig = { allow: ['192.0.2.0/24', '2001:db8::/32'], trustProxy: 1 }
 * ```
 */
export interface IpAllowListConfig {
  /** Addresses or CIDR ranges, IPv4 or IPv6: `10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`. */
  allow: string[]
  /**
   * Where the client address comes from. `false` / `0` (default): the socket's peer.
   * A number `n`: `X-Forwarded-For` as written by `n` trusted proxies in front. `true`: the
   * first `X-Forwarded-For` entry (only when every request passes a proxy that sets it).
   */
  trustProxy?: boolean | number
}

/**
 * Whose delivery id header idempotency reads: a sender's name, or `auto` for the signature scheme's.
 *
 * @example
 * ```ts
 * import type { IdempotencyPreset } from 'hookflow'
 *
 * const preset: IdempotencyPreset = 'github' // X-GitHub-Delivery
 * ```
 */
export type IdempotencyPreset = 'auto' | Exclude<SignatureSchemeName, 'hmac'>

/**
 * At most one execution per delivery key within a window: a repeated delivery gets the first one's answer.
 *
 * @example
 * ```ts
 * import type { IdempotencyConfig } from 'hookflow'
 *
 * const byEventId: IdempotencyConfig = { key: '{{$context.body.id}}', ttlMs: 60 * 60 * 1000, required: true }
 * ```
 */
export interface IdempotencyConfig {
  /** A header name (`webhook-id`), or a `{{$context...}}` template (`{{$context.body.id}}`). */
  key?: string
  /** The sender's delivery id; `auto` picks the one of `signature.scheme`. */
  preset?: IdempotencyPreset
  /** How long a key is remembered, in ms. Default 24 hours. */
  ttlMs?: number
  /** Refuse (400) a delivery without a key instead of running it undeduplicated. Default false. */
  required?: boolean
}
