/**
 * @module
 * Which files hold workflow definitions: `.json`, `.js`/`.mjs`/`.cjs` and `.ts`/`.mts`/`.cts`
 * directly in a folder given to `dev` (not its subfolders), leaving out type declarations,
 * hidden and editor files, and project files such as package.json.
 *
 * ```ts
 * await definitionFilesIn('/app/workflows')   // ['/app/workflows/orders.json', ...]
 * ```
 */
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'

const EXTENSIONS = /\.(?:json|js|mjs|cjs|ts|mts|cts)$/
const DECLARATIONS = /\.d\.[cm]?ts$/
const PROJECT_FILES = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'jsconfig.json'])

export function isDefinitionFile(file: string): boolean {
  const name = basename(file)
  return EXTENSIONS.test(name) && !DECLARATIONS.test(name) && !name.startsWith('.') && !PROJECT_FILES.has(name) && !/^tsconfig\..*json$/.test(name)
}

/** The definition files in `folder`, sorted by name. */
export async function definitionFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && isDefinitionFile(entry.name))
    .map((entry) => join(folder, entry.name))
    .sort()
}
