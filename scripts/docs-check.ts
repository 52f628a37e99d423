/**
 * `npm run docs:check`: every TypeScript example in README.md and docs/*.md compiles as a user
 * would compile it, and the runnable ones answer as their pages say. Markers, after the language
 * of a block (documented in docs/README.md):
 *
 * - ` ```ts ` a complete module: type-checked (`tsc --strict`) against the built package.
 * - ` ```ts runnable ` type-checked, then run: it must start a server on port 3000, and the
 *   `curl` commands of the ` ```sh ` block after it must print the `# ` lines shown under them.
 * - ` ```ts script ` type-checked, then run with tsx: it must exit 0 by itself within 60 s.
 * - ` ```ts fragment ` a piece of a larger program: not checked.
 *
 * A block whose first line is `// name.ts` is written as that file, so other blocks of its page
 * can import it.
 *
 * Needs `npm run build` first. Exits 1 with one `file:line: problem` per failure.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { blocksOf, curlChecksAfter, type Block } from './docs-check/blocks.js'
import { runBlock, runScript } from './docs-check/run-block.js'
import { scratchProject, typeCheck } from './docs-check/type-check.js'

const root = new URL('..', import.meta.url).pathname
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]

const all: Block[] = pages.flatMap((page) => blocksOf(join(root, page), root))
const checked = all.filter((block) => block.lang === 'ts' && !block.markers.includes('fragment'))
const fragments = all.filter((block) => block.lang === 'ts' && block.markers.includes('fragment'))

const dir = scratchProject(root)
const failures = typeCheck(dir, checked)

let served = 0
let scripts = 0
if (failures.length === 0) {
  for (const [at, block] of all.entries()) {
    if (block.lang !== 'ts') continue
    if (block.markers.includes('runnable')) {
      failures.push(...(await runBlock(dir, block, curlChecksAfter(all, at))))
      served++
    } else if (block.markers.includes('script')) {
      failures.push(...(await runScript(dir, block)))
      scripts++
    }
  }
}

console.log(
  `docs:check: ${pages.length} pages, ${checked.length} TypeScript blocks type-checked against the built package, ` +
    `${served} run as servers and answered their curl commands, ${scripts} run as scripts, ${fragments.length} fragments skipped`,
)
if (failures.length > 0) {
  console.error(failures.join('\n'))
  process.exit(1)
}
