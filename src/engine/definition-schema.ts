/**
 * @module
 * The JSON Schema (ajv) of a workflow definition's shape. Rules that need more than a
 * shape (templates, node types, branch names, id clashes) live in `compile-workflow.ts`.
 */
import { triggerSecuritySchemas } from './trigger-security-schema.js'

import { retryPolicySchema } from './node-retry.js'

const KEY = '^[A-Za-z0-9_-]{1,64}$'

const headerEntry = {
  type: 'object',
  required: ['name', 'value'],
  additionalProperties: false,
  properties: { name: { type: 'string' }, value: { type: 'string' } },
}

const requestVariables = {
  type: 'array',
  items: {
    type: 'object',
    required: ['key'],
    additionalProperties: false,
    properties: { key: { type: 'string', minLength: 1 }, alias: { type: 'string' } },
  },
}

export const definitionSchema = {
  $id: 'hookflow:workflow',
  type: 'object',
  required: ['key', 'trigger', 'nodes'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', pattern: KEY },
    title: { type: 'string' },
    description: { type: 'string' },
    enabled: { type: 'boolean' },
    sync: { type: 'boolean' },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeout: { type: 'integer', minimum: 0 },
        concurrency: { type: 'integer', minimum: 1 },
        maxQueued: { type: 'integer', minimum: 0 },
        deleteExecutionOnStatus: {
          type: 'array',
          uniqueItems: true,
          items: { enum: ['resolved', 'failed', 'error', 'aborted'] },
        },
        retry: retryPolicySchema,
        strictResponses: { type: 'boolean' },
      },
    },
    trigger: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { const: 'webhook' },
        id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
        path: { type: 'string', pattern: '^/', minLength: 2 },
        methods: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] },
        },
        basicAuthentication: {
          oneOf: [
            { const: false },
            {
              type: 'object',
              required: ['username', 'password'],
              additionalProperties: false,
              properties: { username: { type: 'string', pattern: '^[^:]*$' }, password: { type: 'string' } },
            },
          ],
        },
        request: {
          type: 'object',
          additionalProperties: false,
          properties: {
            headers: requestVariables,
            query: requestVariables,
            body: requestVariables,
            contentTypes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['json', 'form', 'multipart', 'text', 'raw'] } },
            files: {
              type: 'object',
              additionalProperties: false,
              properties: {
                maxFiles: { type: 'integer', minimum: 0 },
                maxFileSize: { type: 'integer', minimum: 0 },
                maxTotalSize: { type: 'integer', minimum: 0 },
                includeContent: { type: 'boolean' },
              },
            },
          },
        },
        rateLimit: {
          type: 'object',
          required: ['limit', 'windowMs'],
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1 }, windowMs: { type: 'integer', minimum: 1 } },
        },
        response: {
          type: 'object',
          additionalProperties: false,
          properties: {
            statusCode: { type: 'integer', minimum: 200, maximum: 599 },
            headers: { type: 'array', items: headerEntry },
            body: {},
          },
        },
        timeout: { type: 'integer', minimum: 1 },
        ...triggerSecuritySchemas,
      },
    },
    nodes: { $ref: '#/$defs/chain' },
  },
  $defs: {
    chain: { type: 'array', items: { $ref: '#/$defs/node' } },
    node: {
      type: 'object',
      required: ['key', 'type'],
      additionalProperties: false,
      properties: {
        key: { type: 'string', pattern: KEY },
        type: { type: 'string', minLength: 1 },
        title: { type: 'string' },
        config: { type: 'object' },
        branches: { type: 'object', additionalProperties: { $ref: '#/$defs/chain' } },
        retry: retryPolicySchema,
      },
    },
  },
} as const
