import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngine, defineNode, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'

// A worker on a durable store stops promptly: close() waits for what runs, not for a backlog
// that other workers (or the next start) will take. On the memory store close() still drains.

const dir = mkdtempSync(join(tmpdir(), 'hookflow-close-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const workflow: WorkflowDefinition = { key: 'slow', trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'wait', type: 'test.wait' }] }

function waitNode(runs: string[]) {
  return defineNode({
    type: 'test.wait',
    run: async ({ execution }) => {
      runs.push(execution.id)
      await new Promise((resolve) => setTimeout(resolve, 200))
      return { ok: true }
    },
  })
}

describe('engine.close() and a backlog', () => {
  it('on SQLite leaves queued work for the next start, and runs each execution once', async () => {
    const filename = join(dir, 'close.db')
    const runs: string[] = []
    const first = createEngine({ store: createSqliteStore({ filename }), concurrency: 1, nodeTypes: [waitNode(runs)] })
    first.register(workflow)
    const ids: string[] = []
    for (let i = 0; i < 40; i++) ids.push((await first.trigger('slow', { body: { i } })).id)
    // Close while the first run is under way, however long a busy machine takes to start it.
    await expect.poll(() => runs.length, { timeout: 15_000, interval: 5 }).toBeGreaterThan(0)
    await first.close()
    const ranBefore = runs.length
    expect(ranBefore).toBeGreaterThan(0)
    expect(ranBefore).toBeLessThan(ids.length)

    const second = createEngine({ store: createSqliteStore({ filename }), concurrency: 4, nodeTypes: [waitNode(runs)] })
    second.register(workflow)
    await second.start()
    await second.idle()
    for (const id of ids) expect((await second.getExecution(id))?.status).toBe('resolved')
    expect(new Set(runs).size).toBe(ids.length)
    expect(runs.length).toBe(ids.length)
    await second.close()
  })

  it('on the memory store runs everything queued before it resolves', async () => {
    const runs: string[] = []
    const engine = createEngine({ concurrency: 1, nodeTypes: [waitNode(runs)] })
    engine.register(workflow)
    for (let i = 0; i < 5; i++) await engine.trigger('slow', { body: { i } })
    await engine.close()
    expect(runs).toHaveLength(5)
  })
})
