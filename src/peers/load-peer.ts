/**
 * @module
 * Optional peer dependencies (better-sqlite3, pg, bullmq) are loaded when the store or queue
 * that needs one is created, not when its entry is imported, so a missing one is an error that
 * names the command that installs it rather than a bare module-not-found.
 *
 * ```ts
 * const Database = loadPeer<typeof import('better-sqlite3')>('better-sqlite3', 'better-sqlite3@12', 'createSqliteStore')
 * ```
 */
import { createRequire } from 'node:module'
import { HookflowError } from '../errors/hookflow-error.js'

// All three peers ship CommonJS, and `require` keeps creating a store synchronous. (The
// CommonJS build gets `import.meta.url` from tsup's shims; a bare `require` would be bundled
// into a stub that throws in the ES module build.)
const load: NodeJS.Require = createRequire(import.meta.url)

/** Loads `name`; throws `peer_dependency_missing`, naming `npm install <install>`, when it is not installed. */
export function loadPeer<T>(name: string, install: string, user: string, from: NodeJS.Require = load): T {
  try {
    return from(name) as T
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    const message = String((error as { message?: unknown } | null)?.message)
    // Only the peer itself missing; a peer that fails to load (a native build for another
    // Node.js) keeps its own error.
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && message.includes(`'${name}'`)) {
      throw new HookflowError(
        'peer_dependency_missing',
        `${user} needs the optional peer dependency "${name}", which is not installed: run npm install ${install}`,
        { cause: error },
      )
    }
    throw error
  }
}
