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

/** A secret value, or the name of an environment variable read once at `register`. */
export type SecretRef = string | { env: string }

export const SIGNATURE_SCHEMES = ['standard-webhooks', 'github', 'stripe', 'slack', 'shopify', 'twilio', 'hmac'] as const
export type SignatureSchemeName = (typeof SIGNATURE_SCHEMES)[number]

export interface SignatureConfig {
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

export interface TokenAuthenticationConfig {
  /** Default `authorization`. Never stored in `$context`. */
  header?: string
  /** The word before the token. Default `Bearer` on `authorization`, none on other headers. */
  scheme?: string
  token?: SecretRef
  tokens?: SecretRef[]
}

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

export type IdempotencyPreset = 'auto' | Exclude<SignatureSchemeName, 'hmac'>

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
