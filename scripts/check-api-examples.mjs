// Type-checks every `@example` in the doc comments under src/ against the source, each as its own
// module importing `hookflow`, `hookflow/node`… as a user would: the API reference shows only
// examples that compile. Run by `npm run docs:api` after TypeDoc.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Inside the project, so that node_modules (types, peers) resolve as they do for the source.
const out = join(root, 'node_modules', '.cache', 'hookflow-api-examples')
const entries = {
  hookflow: 'src/index.ts',
  'hookflow/node': 'src/adapters/node/index.ts',
  'hookflow/express': 'src/adapters/express/index.ts',
  'hookflow/fastify': 'src/adapters/fastify/index.ts',
  'hookflow/sqlite': 'src/storage/sqlite/index.ts',
  'hookflow/postgres': 'src/storage/postgres/index.ts',
  'hookflow/bullmq': 'src/queue/bullmq/index.ts',
  'hookflow/inspector': 'src/inspector/index.ts',
  'hookflow/testing': 'src/testing/index.ts',
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (entry.name.endsWith('.ts')) yield path
  }
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
let count = 0
for (const file of sourceFiles(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/@example\n((?:[ \t]*\*.*\n)*?)[ \t]*\*\//g)) {
    const body = match[1].split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n')
    const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1]
    if (code === undefined) continue
    count++
    const name = `${relative(root, file).replaceAll('/', '_').replace(/\.ts$/, '')}_${count}.ts`
    writeFileSync(join(out, name), `// ${relative(root, file)}\n${code}\nexport {}\n`)
  }
}
const paths = Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, [join(root, path)]]))
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { noEmit: true, paths }, include: ['*.ts'] }, null, 2),
)
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', out], { stdio: 'inherit' })
} catch {
  console.error(`Some of the ${count} @example blocks under src/ do not compile (copies in ${relative(root, out)}).`)
  process.exit(1)
}
console.log(`${count} @example blocks under src/ compile.`)
