import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnNode } from '../helpers/outage-nodes.js'

// A started engine keeps its process alive until close(): a worker-only process (no server,
// nothing else holding the event loop) must not end by itself, and must end by itself after
// close().

const dir = mkdtempSync(join(tmpdir(), 'hookflow-keep-alive-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a started engine', { timeout: 30_000 }, () => {
  it('keeps a worker-only process alive until close(), which then ends by itself', async () => {
    const worker = await spawnNode({ ROLE: 'worker', STORE: 'sqlite', DB: join(dir, 'hookflow.db'), LOG: join(dir, 'runs.log'), ENGINE: JSON.stringify({ closeTimeoutMs: 3000 }) })
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect(worker.child.exitCode).toBeNull()
    const began = Date.now()
    worker.child.kill('SIGTERM')
    expect(await worker.exited).toBe(0)
    expect(Date.now() - began).toBeLessThan(3000 + 2000)
    expect(worker.output.some((line) => /^closed \d+$/.test(line))).toBe(true)
  })
})
