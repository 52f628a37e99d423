/**
 * @module
 * Type-checks the documentation's TypeScript blocks as a user's project would: each block is a
 * module of its own in a scratch project whose `node_modules/hookflow` is this package, so
 * `import { createEngine } from 'hookflow'` resolves through package.json's `exports` to the
 * built `dist/` (run `npm run build` first), under `tsc --strict` with Node's own resolution.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import type { Block } from './blocks.js'

/** What a user's tsconfig for a Node ESM project would say. */
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
}

/**
 * A scratch project under the repository (so the repository's node_modules serve the peers:
 * express, fastify, hono, pino, @types/*), with `hookflow` linked to the repository root.
 */
export function scratchProject(root: string, name = '.docs-check'): string {
  const dir = join(root, name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(root, join(dir, 'node_modules', 'hookflow'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  return dir
}

/**
 * The file a block is written to: named after its page and line, so errors point back at it; a
 * block whose first line is a file name comment (`// workflows.ts`) gets that name, in a folder
 * of its page, so the page's other blocks can import it (`./workflows.js`).
 */
export function fileFor(dir: string, block: Block): string {
  const page = block.file.replace(/[^\w]+/g, '_')
  const named = /^\/\/ ([\w-]+\.ts)\b/.exec(block.code)
  if (!named) return join(dir, `${page}_L${block.line}.ts`)
  mkdirSync(join(dir, page), { recursive: true })
  return join(dir, page, named[1]!)
}

/** Writes the blocks into `dir` and returns one message per type error, as `file:line: message`. */
export function typeCheck(dir: string, blocks: Block[]): string[] {
  const files = new Map<string, Block>()
  for (const block of blocks) {
    const path = fileFor(dir, block)
    // `export {}` keeps a block without imports a module, as a file of a `"type": "module"` project is.
    writeFileSync(path, `${block.code}\nexport {}\n`)
    files.set(path, block)
  }
  const program = ts.createProgram([...files.keys()], OPTIONS)
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')
    const block = diagnostic.file && files.get(diagnostic.file.fileName)
    if (!diagnostic.file || !block) return `(outside the blocks) ${diagnostic.file?.fileName ?? ''}: ${message}`
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    return `${block.file}:${block.line + line}: ${message}`
  })
}
