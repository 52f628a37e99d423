/**
 * @module
 * A workflow's nodes as the inspector shows them: the definition's tree (key, type, title,
 * config, retry, branches), with values that look like credentials replaced by `[redacted]`.
 * A definition may hold a literal API key in a request node's headers; the page never needs it.
 *
 * ```ts
 * nodeOutline([{ key: 'call', type: 'request', config: { headers: [{ name: 'Authorization', value: 'Bearer x' }] } }])
 * // [{ key: 'call', type: 'request', config: { headers: [{ name: 'Authorization', value: '[redacted]' }] } }]
 * ```
 */
import type { AnyNodeDefinition } from '../engine/definition.js'

/**
 * A node as the inspector shows it, with credential-like config values redacted.
 *
 * @example
 * ```ts
 * import type { NodeOutline } from 'hookflow/inspector'
 *
 * const outline: NodeOutline = { key: 'notify', type: 'request', config: { url: 'https://example.com', headers: [{ name: 'Authorization', value: '[redacted]' }] } }
 * ```
 */
export interface NodeOutline {
  /** The node's key. */
  key: string
  /** The node's type. */
  type: string
  /** The node's title. */
  title?: string
  /** Its config, credential-like values redacted. */
  config?: unknown
  /** Its retry policy. */
  retry?: unknown
  /** Its branches, outlined the same way. */
  branches?: Record<string, NodeOutline[]>
}

export const REDACTED = '[redacted]'

// Names of keys (or of `{ name, value }` header entries) whose values are credentials, once
// lower-cased without separators: `X-Api-Key`, `client_secret`, `accessToken`, `Authorization`...
const SECRET_PART = /password|passphrase|secret|token|apikey|authorization|cookie|credential|privatekey/
const SECRET_WHOLE = new Set(['pass', 'pwd', 'auth'])

function secretName(name: string): boolean {
  const plain = name.toLowerCase().replace(/[-_\s]/g, '')
  return SECRET_WHOLE.has(plain) || SECRET_PART.test(plain)
}

export function nodeOutline(nodes: readonly AnyNodeDefinition[]): NodeOutline[] {
  return nodes.map((node) => {
    const outline: NodeOutline = { key: node.key, type: node.type }
    if (node.title !== undefined) outline.title = node.title
    if (node.config !== undefined) outline.config = redact(node.config)
    if ('retry' in node && node.retry !== undefined) outline.retry = node.retry
    if ('branches' in node && node.branches) {
      const branches: Record<string, NodeOutline[]> = {}
      for (const [name, chain] of Object.entries(node.branches)) if (chain) branches[name] = nodeOutline(chain)
      outline.branches = branches
    }
    return outline
  })
}

/** A copy of `value` with credential-like values replaced. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact)
  if (value === null || typeof value !== 'object') return value
  const entry = value as Record<string, unknown>
  // A header entry: `{ name: 'Authorization', value: '...' }`.
  const secretEntry = typeof entry.name === 'string' && secretName(entry.name)
  const copy: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(entry)) {
    const secret = (secretEntry && key === 'value') || (secretName(key) && (typeof inner !== 'object' || inner === null))
    copy[key] = secret ? REDACTED : redact(inner)
  }
  return copy
}
