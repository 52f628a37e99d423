/**
 * @module
 * Finds the code blocks of the documentation: every fenced block with its file, the line its
 * code starts on, its language and its markers (` ```ts fragment`, ` ```ts runnable`), and for
 * a runnable block the `curl` commands of the shell block that follows it with the answers
 * shown under them.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

export interface Block {
  /** The Markdown file, relative to the repository root. */
  file: string
  /** The 1-based line of the block's first line of code. */
  line: number
  lang: string
  markers: string[]
  code: string
}

export interface CurlCheck {
  /** The line of the `curl` command in its file. */
  line: number
  command: string
  /** The answer the page shows: the `# ` comment lines right under the command. */
  expected: string
}

const FENCE = /^```(\S*)(.*)$/

export function blocksOf(path: string, root: string): Block[] {
  const file = relative(root, path)
  const lines = readFileSync(path, 'utf8').split('\n')
  const blocks: Block[] = []
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!)
    if (!open) continue
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'))
    if (end === -1) throw new Error(`${file}:${index + 1}: a code block that never closes`)
    const markers = open[2]!.trim().split(/\s+/).filter(Boolean)
    blocks.push({ file, line: index + 2, lang: open[1]!, markers, code: lines.slice(index + 1, end).join('\n') })
    index = end
  }
  return blocks
}

/** The `curl` checks of the shell block after `blocks[at]`, before any other TypeScript block. */
export function curlChecksAfter(blocks: Block[], at: number): CurlCheck[] {
  const block = blocks[at]!
  for (const next of blocks.slice(at + 1)) {
    if (next.lang === 'ts') break
    if (next.lang !== 'sh' || !/^curl /m.test(next.code)) continue
    return curlChecks(next)
  }
  throw new Error(`${block.file}:${block.line}: a runnable block needs a \`\`\`sh block with a curl command after it`)
}

function curlChecks(block: Block): CurlCheck[] {
  const lines = block.code.split('\n')
  const checks: CurlCheck[] = []
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index]!.startsWith('curl ')) continue
    const line = block.line + index
    let command = lines[index]!
    while (command.endsWith('\\')) command = `${command.slice(0, -1)} ${lines[++index]!.trim()}`
    const expected: string[] = []
    while (lines[index + 1]?.startsWith('# ')) expected.push(lines[++index]!.slice(2))
    if (expected.length === 0) throw new Error(`${block.file}:${line}: show the answer under the curl command as "# " lines`)
    checks.push({ line, command, expected: expected.join('\n') })
  }
  return checks
}
