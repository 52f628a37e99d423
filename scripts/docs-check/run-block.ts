/**
 * @module
 * Runs the blocks that say so. A runnable block, for real: starts it with tsx (as `npx tsx file.ts` would), waits until
 * its server listens, sends each `curl` command shown under it with the real curl, compares
 * what curl prints with the answer the page shows, then stops the server. The block and its
 * curl commands say port 3000; both are moved to a free port, so a busy 3000 never fails a run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { promisify } from 'node:util'
import type { Block, CurlCheck } from './blocks.js'
import { fileFor } from './type-check.js'

const run = promisify(execFile)
const PORT = /\b3000\b/g

export async function runBlock(dir: string, block: Block, checks: CurlCheck[]): Promise<string[]> {
  const port = String(await freePort())
  const path = fileFor(dir, block).replace(/\.ts$/, '.run.ts')
  writeFileSync(path, `${block.code.replace(PORT, port)}\nexport {}\n`)
  const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const where = `${block.file}:${block.line}`
  try {
    if (!(await listening(Number(port), child))) return [`${where}: the block did not start a server on port 3000 within 30 s\n${output}`]
    const failures: string[] = []
    for (const check of checks) {
      const command = check.command.replace(PORT, port)
      const { stdout } = await run('bash', ['-c', `${command} --silent --show-error --max-time 10`]).catch((error) => ({
        stdout: `(curl failed: ${(error as Error).message})`,
      }))
      if (stdout.trim() !== check.expected.trim()) {
        failures.push(`${block.file}:${check.line}: curl answered\n  ${stdout.trim()}\nbut the page shows\n  ${check.expected.trim()}`)
      }
    }
    return failures
  } finally {
    await stop(child)
  }
}

/** Runs a script block (` ```ts script `): it must exit 0 by itself within 60 s. */
export async function runScript(dir: string, block: Block): Promise<string[]> {
  const path = fileFor(dir, block)
  try {
    await run(process.execPath, ['--import', 'tsx', path], { cwd: dir, timeout: 60_000 })
    return []
  } catch (error) {
    const { stdout = '', stderr = '', killed } = error as { stdout?: string; stderr?: string; killed?: boolean }
    const why = killed ? 'did not exit within 60 s' : 'failed'
    return [`${block.file}:${block.line}: the script ${why}\n${`${stdout}${stderr}`.trim().split('\n').slice(0, 12).join('\n')}`]
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function listening(port: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline && child.exitCode === null) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
