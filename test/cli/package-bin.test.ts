import { execFile } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, makeTempFolder } from './run-bin.js'

const run = promisify(execFile)
const root = new URL('../..', import.meta.url).pathname

describe('the hookflow bin in package.json', () => {
  it('names dist/cli/bin.js, an executable file that starts with a node shebang', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(manifest.bin).toEqual({ hookflow: './dist/cli/bin.js' })
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow()
  })
})

// `npm pack`, then `npm install <tarball>` into an empty project, then `npx hookflow`: what a
// user gets from the registry. The dependencies come from the npm cache (`--offline`), or from
// the registry when the cache lacks their metadata (`--prefer-offline`).
describe('hookflow installed from its packed tarball', () => {
  let project: ReturnType<typeof makeTempFolder>
  let skipped: string | undefined

  beforeAll(async () => {
    project = makeTempFolder('package')
    const { stdout } = await run('npm', ['pack', root, '--ignore-scripts', '--pack-destination', project.path, '--json'], { cwd: project.path })
    const tarball = join(project.path, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename)
    writeFileSync(join(project.path, 'package.json'), JSON.stringify({ name: 'hookflow-user', private: true, type: 'module' }))
    const install = (mode: string) => run('npm', ['install', tarball, mode, '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project.path })
    try {
      await install('--offline').catch(() => install('--prefer-offline'))
    } catch (error) {
      skipped = `npm could not install the tarball's dependencies from its cache or the registry: ${(error as Error).message.split('\n')[0]}`
      if (process.env.HOOKFLOW_REQUIRE_SERVICES === '1') throw new Error(skipped)
      console.warn(`Skipping the installed-package tests: ${skipped}`)
    }
  }, 120_000)

  afterAll(() => project.remove())

  // `npx hookflow` once; the other runs call the link npm made, without npx's own start-up.
  const npx = (args: string[], viaNpx = false) =>
    (viaNpx ? run('npx', ['--no-install', 'hookflow', ...args], { cwd: project.path }) : run(join(project.path, 'node_modules', '.bin', 'hookflow'), args, { cwd: project.path })).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    )

  it('runs with npx hookflow --help', async (context) => {
    if (skipped) return context.skip(skipped)
    const { code, stdout } = await npx(['--help'], true)
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: hookflow <command> \[options\]/)
  })

  it('lists the paths of a sample without any optional package', async (context) => {
    if (skipped) return context.skip(skipped)
    writeFileSync(join(project.path, 'sample.json'), '{"order":{"id":1}}')
    const { code, stdout } = await npx(['paths', 'sample.json', '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ body: [{ key: 'order', alias: 'order' }, { key: 'order.id', alias: 'id' }] })
  })

  it('names what to install: tsx for a .ts definition, better-sqlite3 for the default store', async (context) => {
    if (skipped) return context.skip(skipped)
    mkdirSync(join(project.path, 'flows'), { recursive: true })
    writeFileSync(join(project.path, 'flows', 'typed.ts'), "export default { key: 'typed', trigger: { type: 'webhook' }, nodes: [] }\n")
    writeFileSync(join(project.path, 'plain.json'), JSON.stringify({ key: 'plain', trigger: { type: 'webhook' }, nodes: [] }))
    const typed = await npx(['dev', 'flows', '--memory', '--port', '0'])
    expect([typed.code, typed.stderr]).toEqual([1, 'hookflow dev: loading .ts files needs tsx: npm install -D tsx\n'])
    const durable = await npx(['dev', 'plain.json', '--port', '0'])
    expect([durable.code, durable.stderr]).toEqual([1, 'hookflow dev: SQLite needs the better-sqlite3 package: npm install better-sqlite3@12, or run with --memory\n'])
  })
})
