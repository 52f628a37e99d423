/**
 * @module
 * Custom node types for `dev --nodes <module>`: every node type the module exports, as its
 * default export or named exports, each a node type (`defineNode(...)`) or an array of them.
 *
 * ```ts
 * // nodes.ts
 * export const score = defineNode({ type: 'acme.score', run: async () => ({ score: 7 }) })
 * ```
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { CliFailure, oneLine } from '../cli-errors.js'
import type { NodeType } from '../../engine/node-type.js'
import { importFresh } from './import-module.js'

function isNodeType(value: unknown): value is NodeType<any, any> {
  return typeof value === 'object' && value !== null && typeof (value as NodeType).type === 'string' && typeof (value as NodeType).run === 'function'
}

export async function loadNodeTypes(modules: readonly string[], cwd: string): Promise<NodeType<any, any>[]> {
  const found: NodeType<any, any>[] = []
  for (const name of modules) {
    const file = resolve(cwd, name)
    if (!existsSync(file)) throw new CliFailure(`--nodes ${name}: no such file`)
    let module: Record<string, unknown>
    try {
      module = await importFresh(file, { cwd })
    } catch (error) {
      if (error instanceof CliFailure) throw error
      throw new CliFailure(`--nodes ${name}: cannot import the module: ${oneLine(error)}`, { cause: error })
    }
    const before = found.length
    const seen = new Set<unknown>()
    for (const value of Object.values(module)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (isNodeType(item) && !seen.has(item)) {
          seen.add(item)
          found.push(item)
        }
      }
    }
    if (found.length === before) {
      throw new CliFailure(`--nodes ${name} exports no node type (export defineNode({ type, run }) objects, or an array of them)`)
    }
  }
  return found
}
