/**
 * @module
 * Where each signature scheme's sender puts its delivery id, the same on every retry of one
 * delivery: `idempotency: true` (or `{ preset: 'auto' }`) picks the one of `signature.scheme`.
 */
import type { IdempotencyPreset } from '../../engine/trigger-security-definition.js'

export interface KeySource {
  /** Header names, the first one present wins. */
  readonly headers?: readonly string[]
  /** A `{{$context...}}` template, rendered with the parsed request. */
  readonly template?: string
}

export const IDEMPOTENCY_PRESETS: Readonly<Record<Exclude<IdempotencyPreset, 'auto'>, KeySource>> = {
  'standard-webhooks': { headers: ['webhook-id', 'svix-id'] },
  github: { headers: ['x-github-delivery'] },
  // The event id: Stripe sends the same event again on every retry.
  stripe: { template: '{{$context.body.id}}' },
  // Events API deliveries; slash commands and interactions carry no event id.
  slack: { template: '{{$context.body.event_id}}' },
  shopify: { headers: ['x-shopify-webhook-id'] },
  twilio: { headers: ['i-twilio-idempotency-token'] },
}
