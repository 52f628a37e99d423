/**
 * @module
 * JSON Schema (ajv) of the trigger's trust settings: `signature`, `tokenAuthentication`,
 * `ipAllowList`, `authenticate` and `idempotency`. Rules that need more than a shape (which
 * options a scheme takes, environment variables, CIDR syntax) are checked at `register` by
 * the webhook core.
 */
import { SIGNATURE_SCHEMES } from './trigger-security-definition.js'

const secretRef = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      required: ['env'],
      additionalProperties: false,
      properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
    },
  ],
}

const headerName = { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" }

export const triggerSecuritySchemas = {
  signature: {
    type: 'object',
    required: ['scheme', 'secrets'],
    additionalProperties: false,
    properties: {
      scheme: { enum: SIGNATURE_SCHEMES },
      secrets: { type: 'array', minItems: 1, items: secretRef },
      toleranceSeconds: { type: 'number', minimum: 0 },
      publicOrigin: { type: 'string', pattern: '^https?://[^/?#]+$' },
      algorithm: { enum: ['sha1', 'sha256', 'sha512'] },
      encoding: { enum: ['hex', 'base64'] },
      header: headerName,
      prefix: { type: 'string' },
      timestampHeader: headerName,
      signedContent: { type: 'string', minLength: 1 },
      secretEncoding: { enum: ['utf8', 'hex', 'base64'] },
    },
  },
  tokenAuthentication: {
    oneOf: [
      { const: false },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          header: headerName,
          scheme: { type: 'string', pattern: '^[A-Za-z0-9._~+/-]+$' },
          token: secretRef,
          tokens: { type: 'array', minItems: 1, items: secretRef },
        },
      },
    ],
  },
  ipAllowList: {
    type: 'object',
    required: ['allow'],
    additionalProperties: false,
    properties: {
      allow: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      trustProxy: { oneOf: [{ type: 'boolean' }, { type: 'integer', minimum: 0 }] },
    },
  },
  authenticate: { type: 'string', minLength: 1 },
  idempotency: {
    oneOf: [
      { type: 'boolean' },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          key: { type: 'string', minLength: 1 },
          preset: { enum: ['auto', ...SIGNATURE_SCHEMES.filter((scheme) => scheme !== 'hmac')] },
          ttlMs: { type: 'integer', minimum: 1 },
          required: { type: 'boolean' },
        },
      },
    ],
  },
} as const
