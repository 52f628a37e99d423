// The checker behind `npm run docs:check` (scripts/docs-check.ts) must catch what it promises to:
// a block that does not compile against the built package, named by its page and line, and a
// runnable block's curl answer that differs from the one the page shows. Needs dist/ (npm test
// builds it first).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { blocksOf, curlChecksAfter } from '../../scripts/docs-check/blocks.js'
import { runScript } from '../../scripts/docs-check/run-block.js'
import { scratchProject, typeCheck } from '../../scripts/docs-check/type-check.js'

const root = new URL('../..', import.meta.url).pathname
const pages = join(root, '.docs-check-test-pages')

function page(name: string, markdown: string): string {
  mkdirSync(pages, { recursive: true })
  const path = join(pages, name)
  writeFileSync(path, markdown)
  return path
}

afterAll(() => {
  rmSync(pages, { recursive: true, force: true })
  rmSync(join(root, '.docs-check-test'), { recursive: true, force: true })
})

const SAMPLE = [
  '# A page', // 1
  '', // 2
  '```ts', // 3
  "import { createEngine } from 'hookflow'", // 4
  'const engine = createEngine()', // 5
  "engine.register({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'c', type: 'conditon', config: {} }] })", // 6
  '```', // 7
  '', // 8
  '```ts fragment', // 9
  'engine.whatever()', // 10
  '```', // 11
  '', // 12
  '```ts runnable', // 13
  "import { createSqliteStore } from 'hookflow/sqlite'", // 14
  "const store = createSqliteStore({ filename: ':memory:' })", // 15
  '```', // 16
  '', // 17
  '```sh', // 18
  "curl -u a:b -d '{}' \\", // 19
  '  http://localhost:3000/x', // 20
  '# {"ok":true}', // 21
  '```', // 22
].join('\n')

describe('docs:check', () => {
  it('reads each block with its page, first line of code and markers', () => {
    const blocks = blocksOf(page('sample.md', SAMPLE), root)
    expect(blocks.map((block) => [block.file, block.line, block.lang, block.markers])).toEqual([
      ['.docs-check-test-pages/sample.md', 4, 'ts', []],
      ['.docs-check-test-pages/sample.md', 10, 'ts', ['fragment']],
      ['.docs-check-test-pages/sample.md', 14, 'ts', ['runnable']],
      ['.docs-check-test-pages/sample.md', 19, 'sh', []],
    ])
  })

  it("takes a runnable block's curl commands, joined across lines, with the answer shown under each", () => {
    const blocks = blocksOf(page('sample.md', SAMPLE), root)
    expect(curlChecksAfter(blocks, 2)).toEqual([{ line: 19, command: "curl -u a:b -d '{}'  http://localhost:3000/x", expected: '{"ok":true}' }])
  })

  it('refuses a runnable block without a curl command after it', () => {
    const blocks = blocksOf(page('lonely.md', '```ts runnable\nexport {}\n```\n'), root)
    expect(() => curlChecksAfter(blocks, 0)).toThrow(/lonely\.md:2: a runnable block needs/)
  })

  it('names the page and line of a block that does not compile against the built package, and passes a good one', () => {
    const blocks = blocksOf(page('sample.md', SAMPLE), root).filter((block) => block.lang === 'ts' && !block.markers.includes('fragment'))
    const errors = typeCheck(scratchProject(root, '.docs-check-test'), blocks)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^\.docs-check-test-pages\/sample\.md:6: .*conditon/s)
  }, 120_000)

  it('fails a script block that throws, naming its page and line and showing the error', async () => {
    const script = '```ts script\nimport { createEngine } from \'hookflow\'\nawait createEngine().run(\'nope\')\n```\n'
    const blocks = blocksOf(page('script.md', script), root)
    const dir = scratchProject(root, '.docs-check-test')
    expect(typeCheck(dir, blocks)).toEqual([])
    const [failure, ...more] = await runScript(dir, blocks[0]!)
    expect(more).toEqual([])
    expect(failure).toMatch(/^\.docs-check-test-pages\/script\.md:2: the script failed\n.*nope/s)
  }, 120_000)
})
