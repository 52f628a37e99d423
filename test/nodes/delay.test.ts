import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createEngine, defineNode, WebhookTrigger, type AnyNodeDefinition as NodeDefinition, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { executionIdOf, idPath, post, setup } from '../helpers/webhook.js'
import { definitionProblems } from '../engine/helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'hookflow-delay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  vi.useRealTimers()
})

function counter() {
  const calls: Record<string, number> = {}
  const nodeType = defineNode({
    type: 'test.count',
    run: ({ node }) => {
      calls[node.key] = (calls[node.key] ?? 0) + 1
      return calls[node.key]
    },
  })
  return { calls, nodeType }
}

function delayed(delay: Record<string, unknown>, extra: NodeDefinition[] = []): WorkflowDefinition {
  return {
    key: 'later',
    trigger: { type: 'webhook', id: 'later' },
    nodes: [
      { key: 'before', type: 'test.count' },
      { key: 'wait', type: 'delay', config: delay },
      { key: 'after', type: 'test.count' },
      ...extra,
    ],
  }
}

describe('delay node', () => {
  it('is refused in a sync workflow at registration, with the path', () => {
    const engine = createEngine()
    const problems = definitionProblems(engine, {
      key: 's',
      sync: true,
      trigger: { type: 'webhook', id: 's' },
      nodes: [{ key: 'each', type: 'loop', config: { target: 2 }, branches: { body: [{ key: 'nap', type: 'delay', config: { duration: 10 } }] } }],
    })
    expect(problems).toContainEqual({ path: '/nodes/0/branches/body/0/type', message: expect.stringContaining('only works in an async workflow') })
  })

  it('parks the execution (queued with wakeAt, the job waiting), then resumes after the delay', async () => {
    const { calls, nodeType } = counter()
    const { engine, trigger } = setup([delayed({ duration: 40 })], { engine: { nodeTypes: [nodeType] } })
    const events: string[] = []
    engine.on('job:finished', (job) => events.push(`${job.nodeKey}:${job.status}`))
    const response = await trigger.fetch(post(idPath('later'), {}))
    expect(response.status).toBe(200)
    const id = executionIdOf(response)
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('resolved')
    expect(events).toEqual(['before:resolved', 'wait:waiting', 'wait:resolved', 'after:resolved'])
    const done = await engine.getExecution(id)
    expect(done?.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['before', 'resolved'], ['wait', 'resolved'], ['after', 'resolved']])
    // The wait job kept its index; the run after the wake was a second claim.
    expect(done?.jobs.map((job) => job.index)).toEqual([0, 1, 2])
    expect(done?.attempts).toBe(2)
    const wakeAt = (done!.jobs[1]!.result as { wakeAt: number }).wakeAt
    expect(done?.wakeAt).toBe(wakeAt)
    expect(done!.jobs[2]!.startedAt).toBeGreaterThanOrEqual(wakeAt)
    expect(calls).toEqual({ before: 1, after: 1 })
  })

  it('fails the execution after the wait with endStatus failed', async () => {
    const { calls, nodeType } = counter()
    const { engine, trigger } = setup([delayed({ duration: 5, endStatus: 'failed' })], { engine: { nodeTypes: [nodeType] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('later'), {})))
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('failed')
    expect((await engine.getExecution(id))?.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['before', 'resolved'], ['wait', 'failed']])
    expect(calls).toEqual({ before: 1 })
  })

  it('lets engine.idle() resolve while an execution sleeps', async () => {
    const { nodeType } = counter()
    const { engine, trigger } = setup([delayed({ duration: 1, unit: 'h' })], { engine: { nodeTypes: [nodeType] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('later'), {})))
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('queued')
    expect(execution?.wakeAt).toBeGreaterThan(Date.now() + 3_500_000)
  })

  it('can be canceled while it sleeps', async () => {
    const { calls, nodeType } = counter()
    const { engine, trigger } = setup([delayed({ duration: 1, unit: 'h' })], { engine: { nodeTypes: [nodeType] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('later'), {})))
    await engine.idle()
    expect(await engine.cancel(id)).toBe(true)
    expect(await engine.getExecution(id)).toMatchObject({ status: 'aborted', reason: 'canceled' })
    expect(calls).toEqual({ before: 1 })
  })

  it('survives a restart with the SQLite store: an hour later a second engine on the file resumes it', async () => {
    const filename = join(dir, 'restart.db')
    const { calls, nodeType } = counter()
    const definition = delayed({ duration: 1, unit: 'h' })

    const first = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [nodeType] })
    first.register(definition)
    const response = await new WebhookTrigger({ engine: first }).fetch(post(idPath('later'), { order: 7 }))
    expect(response.status).toBe(200)
    const id = executionIdOf(response)
    await first.idle()
    const parked = await first.getExecution(id)
    expect(parked).toMatchObject({ status: 'queued', wakeAt: expect.any(Number) })
    expect(parked?.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['before', 'resolved'], ['wait', 'waiting']])
    await first.close()

    // An hour and a second later, as far as every clock reading is concerned.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 3_601_000)
    const second = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [nodeType] })
    second.register(definition)
    await second.start()
    await expect.poll(async () => (await second.getExecution(id))?.status, { timeout: 10_000 }).toBe('resolved')
    const done = await second.getExecution(id)
    expect(done?.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['before', 'resolved'], ['wait', 'resolved'], ['after', 'resolved']])
    expect(done?.context.body).toEqual({ order: 7 })
    expect(calls).toEqual({ before: 1, after: 1 })
    await second.close()
  })

  it('does not resume early on a restart before the delay is over', async () => {
    const filename = join(dir, 'early.db')
    const { calls, nodeType } = counter()
    const first = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [nodeType] })
    first.register(delayed({ duration: 1, unit: 'h' }))
    const id = executionIdOf(await new WebhookTrigger({ engine: first }).fetch(post(idPath('later'), {})))
    await first.idle()
    await first.close()
    const second = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [nodeType] })
    second.register(delayed({ duration: 1, unit: 'h' }))
    await second.start()
    await second.idle()
    expect((await second.getExecution(id))?.status).toBe('queued')
    expect(calls).toEqual({ before: 1 })
    await second.close()
  })
})
