import { describe, expect, it } from 'vitest'
import { createEngine, createMemoryStore, defineNode, type Store } from '../../src/index.js'
import { gate } from './helpers.js'

// Retry, cancel, paging, retention: the history side of the engine, on the memory store.

function flaky(failures: number) {
  const calls = { first: 0, flaky: 0 }
  const first = defineNode({ type: 'test.first', run: () => ++calls.first })
  const shaky = defineNode({
    type: 'test.flaky',
    run: () => {
      calls.flaky++
      if (calls.flaky <= failures) throw new Error(`failure ${calls.flaky}`)
      return 'done'
    },
  })
  return { calls, nodeTypes: [first, shaky] }
}

const twoStep = { key: 'two', trigger: { type: 'webhook' as const, id: 'two' }, nodes: [{ key: 'a', type: 'test.first' as const }, { key: 'b', type: 'test.flaky' as const }] }

/** The memory store, claiming to be durable: the engine then saves each job as it finishes. */
function durableMemoryStore(): Store {
  return Object.assign(createMemoryStore(), { durable: true })
}

describe('engine.retry', () => {
  it('runs an errored execution again from the node that failed, keeping resolved jobs', async () => {
    const { calls, nodeTypes } = flaky(1)
    const engine = createEngine({ nodeTypes })
    engine.register(twoStep)
    const { id } = await engine.trigger('two')
    await engine.idle()
    expect((await engine.getExecution(id))?.status).toBe('error')
    const retried = await engine.retry(id)
    expect(retried.status).toBe('queued')
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution?.status).toBe('resolved')
    expect(execution?.attempts).toBe(2)
    expect(calls).toEqual({ first: 1, flaky: 2 })
    expect(execution?.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['a', 'resolved'], ['b', 'resolved']])
    await engine.close()
  })

  it('refuses to retry a resolved execution with not_retryable', async () => {
    const { nodeTypes } = flaky(0)
    const engine = createEngine({ nodeTypes })
    engine.register(twoStep)
    const { id } = await engine.trigger('two')
    await engine.idle()
    await expect(engine.retry(id)).rejects.toMatchObject({ code: 'not_retryable', status: 409 })
    await expect(engine.retry('nope')).rejects.toMatchObject({ code: 'execution_not_found', status: 404 })
    await engine.close()
  })
})

describe('jobs on a durable store', () => {
  it('saves each job as its node finishes, before the next node runs', async () => {
    const open = gate()
    const started = gate()
    const wait = defineNode({
      type: 'test.wait',
      run: () => {
        started.open()
        return open.promise
      },
    })
    const first = defineNode({ type: 'test.first', run: () => 1 })
    const store = durableMemoryStore()
    const engine = createEngine({ store, nodeTypes: [wait, first] })
    engine.register({ key: 'w', trigger: { type: 'webhook', id: 'w' }, nodes: [{ key: 'a', type: 'test.first' }, { key: 'b', type: 'test.wait' }] })
    const { id } = await engine.trigger('w')
    await started.promise
    expect((await store.jobs.list(id)).map((job) => job.nodeKey)).toEqual(['a'])
    open.open()
    await engine.idle()
    expect((await store.jobs.list(id)).map((job) => job.nodeKey)).toEqual(['a', 'b'])
    await engine.close()
  })

  it('records the branch a condition took, so a resumed run takes the same one', async () => {
    const engine = createEngine({ store: durableMemoryStore() })
    engine.register({
      key: 'c',
      trigger: { type: 'webhook', id: 'c' },
      nodes: [
        {
          key: 'big',
          type: 'condition',
          config: { calculation: { group: { type: 'and', calculations: [{ calculator: 'gt', operands: ['{{$context.body.n}}', 1] }] } } },
          branches: { true: [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }] },
        },
      ],
    })
    const { id } = await engine.trigger('c', { body: { n: 5 } })
    await engine.idle()
    const jobs = (await engine.getExecution(id))!.jobs
    expect(jobs[0]?.flow).toEqual({ branch: 'true' })
    expect(jobs[1]?.flow).toEqual({ end: 'failed' })
    await engine.close()
  })
})

describe('engine.cancel', () => {
  it('aborts a running execution with reason canceled, its signal firing', async () => {
    let aborted = false
    const started = gate()
    const hang = defineNode({
      type: 'test.hang',
      run: ({ signal }) =>
        new Promise((_, reject) => {
          started.open()
          signal.addEventListener('abort', () => {
            aborted = true
            reject(signal.reason)
          })
        }),
    })
    const engine = createEngine({ nodeTypes: [hang] })
    engine.register({ key: 'h', trigger: { type: 'webhook', id: 'h' }, nodes: [{ key: 'x', type: 'test.hang' }] })
    const { id } = await engine.trigger('h')
    await started.promise
    expect(await engine.cancel(id)).toBe(true)
    await engine.idle()
    const execution = await engine.getExecution(id)
    expect(execution).toMatchObject({ status: 'aborted', reason: 'canceled' })
    expect(aborted).toBe(true)
    await engine.close()
  })

  it('cancels a queued execution before any worker starts it', async () => {
    const open = gate()
    const block = defineNode({ type: 'test.block', run: () => open.promise })
    const engine = createEngine({ nodeTypes: [block], concurrency: 1 })
    engine.register({ key: 'b', trigger: { type: 'webhook', id: 'b' }, nodes: [{ key: 'x', type: 'test.block' }] })
    await engine.trigger('b')
    const second = await engine.trigger('b')
    expect(await engine.cancel(second.id)).toBe(true)
    open.open()
    await engine.idle()
    const execution = await engine.getExecution(second.id)
    expect(execution).toMatchObject({ status: 'aborted', reason: 'canceled' })
    expect(execution?.jobs).toEqual([])
    expect(await engine.cancel(second.id)).toBe(false)
    await engine.close()
  })
})

describe('listExecutions paging and retention', () => {
  async function engineWith(count: number) {
    const engine = createEngine()
    engine.register({ key: 'e', trigger: { type: 'webhook', id: 'e' }, nodes: [] })
    const ids: string[] = []
    for (let i = 0; i < count; i++) ids.push((await engine.trigger('e', { body: { i } })).id)
    await engine.idle()
    return { engine, ids }
  }

  it('pages through every execution with a cursor, newest first, without repeats', async () => {
    const { engine, ids } = await engineWith(25)
    const seen: string[] = []
    let cursor: string | undefined
    for (;;) {
      const page = await engine.listExecutions({ limit: 10, ...(cursor ? { cursor } : {}) })
      if (page.length === 0) break
      seen.push(...page.map((e) => e.id))
      cursor = page.at(-1)!.id
    }
    expect(seen).toEqual([...ids].reverse())
    await expect(engine.listExecutions({ cursor: 'unknown' })).rejects.toThrow(/cursor/)
    await engine.close()
  })

  it('lists only executions created since a time', async () => {
    const { engine } = await engineWith(3)
    const future = Date.now() + 60_000
    expect(await engine.listExecutions({ since: future })).toEqual([])
    expect(await engine.listExecutions({ since: 0 })).toHaveLength(3)
    await engine.close()
  })

  it('prunes finished executions down to maxCount, newest kept', async () => {
    const { engine, ids } = await engineWith(8)
    expect(await engine.prune({ maxCount: 3 })).toBe(5)
    expect((await engine.listExecutions()).map((e) => e.id)).toEqual(ids.slice(-3).reverse())
    await engine.close()
  })

  it('prunes finished executions older than maxAgeMs', async () => {
    const { engine } = await engineWith(4)
    expect(await engine.prune({ maxAgeMs: 60_000 })).toBe(0)
    expect(await engine.prune({ maxAgeMs: -1 })).toBe(4)
    await engine.close()
  })

  it('deletes an execution that ends with a status in options.deleteExecutionOnStatus', async () => {
    const engine = createEngine()
    engine.register({ key: 'd', options: { deleteExecutionOnStatus: ['resolved'] }, trigger: { type: 'webhook', id: 'd' }, nodes: [] })
    const { id } = await engine.trigger('d')
    await engine.idle()
    expect(await engine.getExecution(id)).toBeUndefined()
    await engine.close()
  })
})

describe('createEngine({ retention })', () => {
  it('sweeps finished executions down to maxCount on its interval', async () => {
    const engine = createEngine({ retention: { maxCount: 2, intervalMs: 5 } })
    engine.register({ key: 'r', trigger: { type: 'webhook', id: 'r' }, nodes: [] })
    for (let i = 0; i < 6; i++) await engine.trigger('r')
    await engine.idle()
    // A failure detector only: the sweep runs every 5 ms.
    const deadline = Date.now() + 15_000
    while ((await engine.listExecutions()).length > 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await engine.listExecutions()).toHaveLength(2)
    await engine.close()
  })

  it('refuses a retention without maxAgeMs or maxCount', () => {
    expect(() => createEngine({ retention: {} })).toThrow(/maxAgeMs or maxCount/)
  })
})
