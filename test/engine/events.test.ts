import { beforeAll, describe, it, expect } from 'vitest'
import { createEngine } from '../../src/index.js'
import type { Engine, ExecutionRecord, JobRecord } from '../../src/index.js'
import { echoNode, workflow } from './helpers.js'

interface Seen {
  order: string[]
  created: ExecutionRecord[]
  started: ExecutionRecord[]
  finished: ExecutionRecord[]
  jobs: Array<{ job: JobRecord; execution: { id: string; workflowKey: string } }>
}

function listen(engine: Engine): Seen {
  const seen: Seen = { order: [], created: [], started: [], finished: [], jobs: [] }
  engine.on('execution:created', (execution) => { seen.order.push('created'); seen.created.push(execution) })
  engine.on('execution:started', (execution) => { seen.order.push('started'); seen.started.push(execution) })
  engine.on('job:finished', (job, execution) => { seen.order.push(`job:${job.nodeKey}`); seen.jobs.push({ job, execution }) })
  engine.on('execution:finished', (execution) => { seen.order.push('finished'); seen.finished.push(execution) })
  return seen
}

async function runWithEvents(sync: boolean): Promise<{ seen: Seen; id: string }> {
  const engine = createEngine({ nodeTypes: [echoNode] })
  engine.register(workflow('w', [{ key: 'a', type: 'test.echo', config: { v: 1 } }, { key: 'b', type: 'test.echo', config: { v: 2 } }], { sync }))
  const seen = listen(engine)
  const { id } = await engine.trigger('w', { body: { x: 1 } })
  await engine.idle()
  return { seen, id }
}

describe.each([
  ['an async', false],
  ['a sync', true],
])('events of %s workflow', (_label, sync) => {
  // One run per mode; every test below only reads what it recorded.
  let seen: Seen
  let id: string
  beforeAll(async () => {
    ;({ seen, id } = await runWithEvents(sync))
  })

  it('emits execution:created once with the stored record', () => {
    expect(seen.created).toHaveLength(1)
    expect(seen.created[0]).toMatchObject({ id, workflowKey: 'w', status: sync ? 'started' : 'queued' })
  })

  it('emits execution:started once with status started', () => {
    expect(seen.started).toHaveLength(1)
    expect(seen.started[0]).toMatchObject({ id, status: 'started' })
  })

  it('emits job:finished for every job, with the job and its execution', () => {
    expect(seen.jobs.map(({ job }) => [job.nodeKey, job.status, job.result])).toEqual([['a', 'resolved', { v: 1 }], ['b', 'resolved', { v: 2 }]])
    for (const { execution } of seen.jobs) expect(execution).toMatchObject({ id, workflowKey: 'w' })
  })

  it('emits execution:finished once with the final status and the jobs', () => {
    expect(seen.finished).toHaveLength(1)
    expect(seen.finished[0]).toMatchObject({ id, status: 'resolved', finishedAt: expect.any(Number) })
    expect(seen.finished[0]?.jobs.map((job) => job.nodeKey)).toEqual(['a', 'b'])
  })

  it('emits the events in lifecycle order', () => {
    expect(seen.order).toEqual(['created', 'started', 'job:a', 'job:b', 'finished'])
  })
})

describe('execution:finished', () => {
  it('fires after the final state is stored', async () => {
    const engine = createEngine({ nodeTypes: [echoNode] })
    engine.register(workflow('w', [{ key: 'a', type: 'test.echo' }]))
    let stored: ExecutionRecord | undefined
    const done = new Promise<void>((resolve) => {
      engine.on('execution:finished', (execution) => {
        void engine.getExecution(execution.id).then((record) => { stored = record; resolve() })
      })
    })
    await engine.trigger('w')
    await done
    expect(stored?.status).toBe('resolved')
    expect(stored?.jobs).toHaveLength(1)
  })

  it('carries the error status and the error of a failed node', async () => {
    const engine = createEngine({ nodeTypes: [{ type: 'acme.boom', run: () => { throw new Error('nope') } }] })
    engine.register(workflow('w', [{ key: 'a', type: 'acme.boom' }]))
    const finished: ExecutionRecord[] = []
    engine.on('execution:finished', (execution) => finished.push(execution))
    await engine.trigger('w')
    await engine.idle()
    expect(finished[0]).toMatchObject({ status: 'error', error: { message: 'nope' } })
  })
})
