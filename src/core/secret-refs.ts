/**
 * @module
 * Secrets in definitions: a string, or `{ env: 'NAME' }` read from the environment once, at
 * `register`. A variable that is not set (or empty) is a definition problem then, not a 500
 * on the first delivery.
 */
import type { SecretRef } from '../engine/trigger-security-definition.js'

export type Environment = Readonly<Record<string, string | undefined>>

/** `process.env` where there is one (Node, Bun, Deno with its Node layer), else nothing. */
export function defaultEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {}
}

export function resolveSecrets(
  refs: readonly SecretRef[],
  env: Environment,
  problem: (path: string, message: string) => void,
): string[] {
  return refs.map((ref, i) => {
    if (typeof ref === 'string') return ref
    const value = env[ref.env]
    if (value === undefined || value === '') problem(`/${i}/env`, `environment variable "${ref.env}" is not set`)
    return value ?? ''
  })
}
