// Every ```ts block of the README type-checks under the project's strict settings against the
// source (`hookflow` and its subpaths map to src/), as a user pasting it would compile it. A
// block is a module of its own (a `// name.ts` comment line starts another one); the names the
// prose takes as given (`engine`, `trigger`, `store`...) are declared once for all of them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = new URL('../..', import.meta.url).pathname

const GIVEN = `
import type * as hookflow from 'hookflow'
declare global {
  const createEngine: typeof hookflow.createEngine
  const defineNode: typeof hookflow.defineNode
  const defineWorkflow: typeof hookflow.defineWorkflow
  const WebhookTrigger: typeof hookflow.WebhookTrigger
  type WebhookTrigger = hookflow.WebhookTrigger
  const createListener: typeof import('hookflow/node').createListener
  const http: typeof import('node:http')
  const Hono: typeof import('hono').Hono
  const engine: hookflow.Engine
  const trigger: hookflow.WebhookTrigger
  const inspector: import('hookflow/inspector').Inspector
  const store: hookflow.Store
  const queue: hookflow.Queue
  const id: string
  const maxAgeMs: number
  const maxCount: number
  const intervalMs: number
  function verifyPartnerJwt(token: string | null): Promise<boolean>
  function myFramework(): { mount(prefix: string, handler: unknown): { listener: import('node:http').RequestListener } }
  function myAdapter(trigger: hookflow.WebhookTrigger): unknown
}
export {}
`

const SUBPATHS: Record<string, string> = {
  hookflow: 'src/index.ts',
  'hookflow/node': 'src/adapters/node/index.ts',
  'hookflow/express': 'src/adapters/express/index.ts',
  'hookflow/fastify': 'src/adapters/fastify/index.ts',
  'hookflow/sqlite': 'src/storage/sqlite/index.ts',
  'hookflow/postgres': 'src/storage/postgres/index.ts',
  'hookflow/bullmq': 'src/queue/bullmq/index.ts',
  'hookflow/testing': 'src/testing/index.ts',
  'hookflow/inspector': 'src/inspector/index.ts',
}

interface Example {
  name: string
  line: number
  source: string
}

function examples(markdown: string): Example[] {
  const found: Example[] = []
  const pattern = /^```ts\n([\s\S]*?)^```/gm
  for (const match of markdown.matchAll(pattern)) {
    const start = markdown.slice(0, match.index).split('\n').length + 1
    let part: string[] = []
    let partLine = start
    const flush = (): void => {
      if (part.some((line) => line.trim() !== '' && !line.trim().startsWith('//'))) {
        found.push({ name: `readme-example-${found.length + 1}.ts`, line: partLine, source: `${part.join('\n')}\nexport {}\n` })
      }
      part = []
    }
    match[1]!.split('\n').forEach((line, index) => {
      // `// receiver.ts` and `// worker.ts` in one block are two files.
      if (/^\/\/ [\w./-]+\.ts\b/.test(line) && part.some((l) => l.trim() !== '')) {
        flush()
        partLine = start + index
      }
      part.push(line)
    })
    flush()
  }
  return found
}

function typeErrors(files: ReadonlyMap<string, string>): string[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path))
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  Object.assign(options, {
    noEmit: true,
    strict: true,
    baseUrl: root,
    paths: Object.fromEntries(Object.entries(SUBPATHS).map(([name, path]) => [name, [path]])),
  })
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name)
    return text === undefined ? getSourceFile(name, version, ...rest) : ts.createSourceFile(name, text, version)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => files.has(name) || fileExists(name)
  const readFile = host.readFile.bind(host)
  host.readFile = (name) => files.get(name) ?? readFile(name)
  const program = ts.createProgram([...files.keys()], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && files.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      return `${diagnostic.file!.fileName.slice(root.length)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
    })
}

// One program for every block and a control that must fail: type-checking costs seconds.
const BROKEN = 'readme-control-broken.ts'
let checked: { found: Example[]; errors: string[] } | undefined
function check(): { found: Example[]; errors: string[] } {
  if (checked) return checked
  const found = examples(readFileSync(join(root, 'README.md'), 'utf8'))
  const files = new Map(found.map((example) => [join(root, example.name), example.source]))
  files.set(join(root, 'readme-given.d.ts'), GIVEN)
  files.set(join(root, BROKEN), "defineWorkflow({ key: 'w', trigger: { type: 'webhook' }, nodes: [{ key: 'c', type: 'conditon' }] })\nexport {}\n")
  checked = { found, errors: typeErrors(files) }
  return checked
}

describe('the README', () => {
  it('has TypeScript examples that all pass tsc --strict', () => {
    const { found, errors } = check()
    expect(found.length).toBeGreaterThan(10)
    // Each failing block named by its README line.
    const where = new Map(found.map((example) => [example.name, example.line]))
    const inExamples = errors.filter((error) => !error.startsWith(BROKEN))
    expect(inExamples.map((error) => error.replace(/^(readme-example-\d+\.ts)/, (name) => `${name} (README line ${where.get(name)})`))).toEqual([])
  }, 180_000)

  it('would catch an example that does not compile', () => {
    expect(check().errors.filter((error) => error.startsWith(BROKEN)).join('\n')).toMatch(/conditon/)
  }, 180_000)
})
