/**
 * @module
 * Imports a JavaScript or TypeScript module afresh each time (a changed file must be read
 * again): `.js`/`.mjs`/`.cjs` through Node's own `import()`, `.ts`/`.mts`/`.cts` through tsx's
 * `tsImport` (an optional peer: Node 20 cannot import TypeScript), looked up beside hookflow
 * and then in the current project.
 *
 * ```ts
 * const module = await importFresh('/app/workflows/orders.ts', { cwd: '/app' })
 * ```
 */
import { createRequire } from 'node:module'
import { extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CliFailure } from '../cli-errors.js'

export const TYPESCRIPT = new Set(['.ts', '.mts', '.cts'])

type TsImport = (specifier: string, options: { parentURL: string }) => Promise<Record<string, unknown>>

let version = 0
let tsImport: Promise<TsImport | undefined> | undefined

async function findTsImport(cwd: string): Promise<TsImport | undefined> {
  try {
    return ((await import('tsx/esm/api')) as { tsImport: TsImport }).tsImport
  } catch {
    // Not beside hookflow (npx from its cache, say): the project's own tsx.
  }
  try {
    const resolved = createRequire(join(cwd, 'package.json')).resolve('tsx/esm/api')
    return ((await import(pathToFileURL(resolved).href)) as { tsImport: TsImport }).tsImport
  } catch {
    return undefined
  }
}

/** Fails with the one line that says what to install when tsx cannot be found. */
export async function requireTypeScript(cwd: string): Promise<TsImport> {
  tsImport ??= findTsImport(cwd)
  const found = await tsImport
  if (!found) throw new CliFailure('loading .ts files needs tsx: npm install -D tsx')
  return found
}

/**
 * A module's exports as ES module syntax wrote them. A file compiled to CommonJS (a .ts file
 * outside a `"type": "module"` package, or Babel output) arrives as `{ default: exports }` with
 * `exports.__esModule` set: its `default` and named exports are inside.
 */
function esExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as Record<string, unknown> | null | undefined
  return typeof inner === 'object' && inner !== null && inner.__esModule === true ? inner : namespace
}

export async function importFresh(file: string, options: { cwd: string }): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file)
  if (TYPESCRIPT.has(extname(file))) {
    const load = await requireTypeScript(options.cwd)
    // tsImport loads in a namespace of its own on every call: nothing is cached between calls.
    return esExports(await load(url.href, { parentURL: pathToFileURL(join(options.cwd, 'index.js')).href }))
  }
  // CommonJS files go through require's cache, which a new query string does not bypass.
  delete createRequire(import.meta.url).cache[file]
  url.search = `?hookflow-dev=${++version}`
  return esExports((await import(url.href)) as Record<string, unknown>)
}
