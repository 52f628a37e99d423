import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEngine, defineNode, type AnyNodeDefinition as NodeDefinition, type Store, createMemoryStore, type AnyWorkflowDefinition as WorkflowDefinition } from '../../src/index.js'
import { executionIdOf, idPath, post, settledExecution, setup } from '../helpers/webhook.js'
import { definitionProblems } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

/** A node that throws its first `failures` runs, and notes the (clock) time of each run. */
function flaky(failures: number) {
  const times: number[] = []
  const nodeType = defineNode({
    type: 'test.flaky',
    run: () => {
      times.push(Date.now())
      if (times.length <= failures) throw Object.assign(new Error(`failure ${times.length}`), { code: 'flaky' })
      return { ok: times.length }
    },
  })
  return { times, nodeType }
}

const once = () => {
  const calls = { count: 0 }
  return { calls, nodeType: defineNode({ type: 'test.once', run: () => ++calls.count }) }
}

async function turns(count = 50): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve))
}

function syncFlow(node: NodeDefinition): WorkflowDefinition {
  return {
    key: 'r',
    sync: true,
    trigger: { type: 'webhook', id: 'r' },
    nodes: [node, { key: 'answer', type: 'response', config: { statusCode: 200, body: '{{$jobsMapByNodeKey.call}}' } }],
  }
}

describe('node-level retry', () => {
  it('runs a throwing node again after exponential backoff, recording the attempts on the job', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { times, nodeType } = flaky(2)
    const { engine, trigger } = setup(
      [syncFlow({ key: 'call', type: 'test.flaky', retry: { attempts: 3, backoff: 'exponential', delayMs: 100, maxDelayMs: 1000 } })],
      { engine: { nodeTypes: [nodeType] } },
    )
    const answer = trigger.fetch(post(idPath('r'), {}))
    await turns()
    expect(times).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(99)
    expect(times).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(times).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(199)
    expect(times).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    const response = await answer
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: 3 })
    expect(times.map((t) => t - times[0]!)).toEqual([0, 100, 300])
    const job = (await settledExecution(engine, response)).jobs[0]
    expect(job).toMatchObject({ nodeKey: 'call', status: 'resolved', attempts: 3 })
  })

  it('waits delayMs each time with fixed backoff, capped by maxDelayMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const { times, nodeType } = flaky(3)
    const { trigger } = setup(
      [syncFlow({ key: 'call', type: 'test.flaky', retry: { attempts: 4, backoff: 'fixed', delayMs: 500, maxDelayMs: 250 } })],
      { engine: { nodeTypes: [nodeType] } },
    )
    const answer = trigger.fetch(post(idPath('r'), {}))
    await turns()
    await vi.advanceTimersByTimeAsync(750)
    expect((await answer).status).toBe(200)
    expect(times.map((t) => t - times[0]!)).toEqual([0, 250, 500, 750])
  })

  it('records the error and every attempt once the attempts are spent', async () => {
    const { times, nodeType } = flaky(5)
    const { engine, trigger } = setup([syncFlow({ key: 'call', type: 'test.flaky', retry: { attempts: 2, delayMs: 0 } })], {
      engine: { nodeTypes: [nodeType] },
    })
    const response = await trigger.fetch(post(idPath('r'), {}))
    expect(response.status).toBe(500)
    const execution = await settledExecution(engine, response)
    expect(execution.jobs[0]).toMatchObject({ status: 'error', attempts: 2, error: { message: 'failure 2', code: 'flaky' } })
    expect(times).toHaveLength(2)
  })

  it('stops waiting for the next try when the workflow times out, recording the job aborted', async () => {
    const { times, nodeType } = flaky(5)
    const definition = { ...syncFlow({ key: 'call', type: 'test.flaky', retry: { attempts: 5, delayMs: 60_000 } }), options: { timeout: 50 } }
    const { engine, trigger } = setup([definition], { engine: { nodeTypes: [nodeType] } })
    const response = await trigger.fetch(post(idPath('r'), {}))
    expect(response.status).toBe(500)
    const execution = await settledExecution(engine, response)
    expect(execution).toMatchObject({ status: 'aborted', reason: 'timeout' })
    expect(execution.jobs[0]).toMatchObject({ status: 'aborted', attempts: 1 })
    expect(times).toHaveLength(1)
  })

  it('refuses a retry policy that is not one', () => {
    const problems = definitionProblems(createEngine(), syncFlow({ key: 'call', type: 'end', retry: { attempts: 0, backoff: 'linear' } as never }))
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/nodes/0/retry/attempts', '/nodes/0/retry/backoff']))
  })
})

describe('execution-level retry (async)', () => {
  function asyncFlow(retry: Record<string, unknown>): WorkflowDefinition {
    return {
      key: 'a',
      trigger: { type: 'webhook', id: 'a' },
      options: { retry: retry as never },
      nodes: [{ key: 'first', type: 'test.once' }, { key: 'call', type: 'test.flaky' }],
    }
  }

  for (const [name, store] of [['memory', () => createMemoryStore()], ['durable memory', () => Object.assign(createMemoryStore(), { durable: true })]] as Array<[string, () => Store]>) {
    it(`queues a failed run again after its backoff, keeping resolved jobs, the attempts recorded (${name} store)`, async () => {
      const { times, nodeType } = flaky(2)
      const first = once()
      const { engine, trigger } = setup([asyncFlow({ attempts: 3, delayMs: 20, backoff: 'exponential' })], {
        engine: { store: store(), nodeTypes: [nodeType, first.nodeType] },
      })
      const id = executionIdOf(await trigger.fetch(post(idPath('a'), {})))
      await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('resolved')
      const execution = await engine.getExecution(id)
      expect(execution?.attempts).toBe(3)
      expect(first.calls.count).toBe(1)
      expect(times).toHaveLength(3)
      // Each wait at least its backoff: 20 ms, then 40 ms.
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(20)
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(40)
      expect(execution?.jobs.map((job) => [job.nodeKey, job.status, job.attempts])).toEqual([['first', 'resolved', undefined], ['call', 'resolved', 3]])
    })
  }

  it('waits queued with the retry count as reason, the error and the wake time', async () => {
    const { nodeType } = flaky(9)
    const first = once()
    const { engine, trigger } = setup([asyncFlow({ attempts: 5, delayMs: 3_600_000 })], { engine: { nodeTypes: [nodeType, first.nodeType] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('a'), {})))
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution).toMatchObject({ status: 'queued', reason: 'retry:1', error: { message: 'failure 1' }, attempts: 1 })
    expect(execution?.wakeAt).toBeGreaterThan(Date.now() + 3_500_000)
  })

  it('gives up after its attempts, final with the last error', async () => {
    const { times, nodeType } = flaky(9)
    const first = once()
    const { engine, trigger } = setup([asyncFlow({ attempts: 2, delayMs: 1 })], { engine: { nodeTypes: [nodeType, first.nodeType] } })
    const id = executionIdOf(await trigger.fetch(post(idPath('a'), {})))
    await expect.poll(async () => (await engine.getExecution(id))?.status, { timeout: 15_000 }).toBe('error')
    const execution = await engine.getExecution(id)
    expect(execution?.error).toMatchObject({ message: 'failure 2' })
    expect(execution?.reason).toBeNull()
    expect(times).toHaveLength(2)
    expect(execution?.jobs.find((job) => job.nodeKey === 'call')).toMatchObject({ status: 'error', attempts: 2 })
  })

  it('is refused on a sync workflow', () => {
    const problems = definitionProblems(createEngine(), { ...syncFlow({ key: 'call', type: 'end' }), options: { retry: { attempts: 2 } } })
    expect(problems).toContainEqual({ path: '/options/retry', message: expect.stringContaining('async') })
  })
})
