/**
 * @module
 * What a definition file holds: a `.json` file's value, or a module's default export (CommonJS:
 * `module.exports`). Either is a workflow definition or an array of them.
 *
 * ```ts
 * const value = await loadDefinitionFile('/app/workflows/orders.ts', { cwd: '/app' })
 * ```
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { CliFailure, oneLine } from '../cli-errors.js'
import { importFresh } from './import-module.js'

/** A file that could not be read as definitions at all; the message is one line. */
export class DefinitionFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DefinitionFileError'
  }
}

function explainImport(error: unknown): string {
  const message = oneLine(error)
  if (/Unexpected token 'export'|Cannot use import statement outside a module/.test(message)) {
    return `${message} (ES module syntax in a .js file needs "type": "module" in package.json, or the .mjs extension)`
  }
  return message
}

export async function loadDefinitionFile(file: string, options: { cwd: string }): Promise<unknown> {
  if (extname(file) === '.json') {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new DefinitionFileError(`cannot read the file: ${oneLine(error)}`)
    }
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new DefinitionFileError(`invalid JSON: ${oneLine(error)}`)
    }
  }
  let module: Record<string, unknown>
  try {
    module = await importFresh(file, options)
  } catch (error) {
    // tsx missing is no problem of this file: it stops `dev` with what to install.
    if (error instanceof CliFailure) throw error
    throw new DefinitionFileError(`cannot import the module: ${explainImport(error)}`)
  }
  if (!('default' in module) || module.default === undefined) {
    throw new DefinitionFileError('has no default export: export default a workflow definition or an array of them')
  }
  return module.default
}
