/**
 * @module
 * The senders `hookflow send --sign` signs as: the trigger's signature schemes.
 */
export const SIGNING_SCHEMES = ['standard-webhooks', 'github', 'stripe', 'slack', 'shopify', 'twilio', 'hmac'] as const
export type SigningScheme = (typeof SIGNING_SCHEMES)[number]
