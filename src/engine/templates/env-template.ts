/**
 * @module
 * `{{$env.NAME}}`: an environment variable, read when the template renders, but only for the
 * names the engine allows (`createEngine({ env: ['PUBLIC_URL'] })`). Any other name is a
 * registration problem, so no definition can echo a secret (a signing key, a database URL)
 * into a response or a stored job.
 *
 * ```ts
 * compileTemplate('{{$env.PUBLIC_URL}}/orders', { env: new Set(['PUBLIC_URL']) }).render({})
 * // 'https://example.com/orders' when PUBLIC_URL is set; '/orders' when it is not
 * ```
 */
import { parsePath, PathSyntaxError } from './path.js'

export const ENV_ROOT = '$env'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** True for a name `process.env` can hold and an allow-list may name. */
export function isEnvName(name: string): boolean {
  return NAME.test(name)
}

/** The read for `$env.NAME`, or the problem as text. */
export function compileEnvRead(source: string, allowed: ReadonlySet<string>): (() => string | undefined) | string {
  let segments
  try {
    segments = parsePath(source)
  } catch (error) {
    return error instanceof PathSyntaxError ? `invalid path: ${error.message}` : String(error)
  }
  const name = segments[1]
  if (segments.length !== 2 || typeof name !== 'string') return '$env takes exactly one variable name, as $env.NAME'
  if (!allowed.has(name)) {
    const list = allowed.size === 0 ? 'none are allowed' : `allowed: ${[...allowed].join(', ')}`
    return `$env.${name} is not in the engine's env allow-list (createEngine({ env: [...] }); ${list})`
  }
  return () => readEnv(name)
}

// Not every Fetch runtime has `process`; where there is none, every variable is unset.
function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env === undefined || !Object.hasOwn(env, name) ? undefined : env[name]
}
