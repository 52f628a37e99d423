/**
 * @module
 * The engine's `env` option checked once: a list of variable names (`['PUBLIC_URL']`), each a
 * plain identifier, so a typo fails at `createEngine` instead of at `register`.
 */
import { isEnvName } from './env-template.js'

export function envAllowList(names: readonly string[] | undefined): ReadonlySet<string> {
  if (names === undefined) return new Set()
  if (!Array.isArray(names)) throw new TypeError('env must be an array of environment variable names')
  for (const name of names) {
    if (typeof name !== 'string' || !isEnvName(name)) {
      throw new TypeError(`env: ${JSON.stringify(name)} is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)`)
    }
  }
  return new Set(names)
}
