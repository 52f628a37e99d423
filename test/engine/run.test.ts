import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, it, expect } from 'vitest'
import { createEngine, defineNode, WorkflowNotFoundError } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { gate, turns } from './helpers.js'

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})
const dir = mkdtempSync(join(tmpdir(), 'hookflow-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const held = gate()
const wait = defineNode({ type: 'test.wait', run: async () => {
  await held.promise
  return 'waited'
} })
const boom = defineNode({ type: 'test.boom', run: () => {
  throw new Error('node exploded')
} })

function engine(): Engine {
  const made = createEngine({ nodeTypes: [wait, boom] })
  engines.push(made)
  return made
}

const answer = (statusCode: number, body: unknown) => ({
  key: 'answer', type: 'response' as const,
  config: { statusCode, headers: [{ name: 'x-order', value: '{{$context.body.id}}' }], body },
})

describe('engine.run', () => {
  it('resolves a sync run with the Response node\'s status, headers and body', async () => {
    const e = engine()
    e.register({ key: 'pay', sync: true, trigger: { type: 'webhook' }, nodes: [answer(201, { ok: true, id: '{{$context.body.id}}' })] })
    const { execution, response } = await e.run('pay', { body: { id: 'p1' } })
    expect(response).toMatchObject({ statusCode: 201, headers: [{ name: 'x-order', value: 'p1' }], body: { ok: true, id: 'p1' } })
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['answer'])
  })

  it('waits for a sync run to finish after its Response node answered', async () => {
    const e = engine()
    e.register({
      key: 'later', sync: true, trigger: { type: 'webhook' },
      nodes: [{ ...answer(200, 'ok'), config: { ...answer(200, 'ok').config, end: false } }, { key: 'after', type: 'test.boom' }],
    })
    const { execution, response } = await e.run('later', { body: { id: 'x' } })
    expect(response?.statusCode).toBe(200)
    expect(execution.status).toBe('error')
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['answer', 'resolved'], ['after', 'error']])
  })

  it('resolves a sync run that no Response node answered without a response', async () => {
    const e = engine()
    e.register({ key: 'quiet', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'stop', type: 'end', config: { endStatus: 'failed' } }] })
    const result = await e.run('quiet')
    expect(result.execution.status).toBe('failed')
    expect(result.response).toBeUndefined()
  })

  it('resolves a failing sync run with its error rather than rejecting', async () => {
    const e = engine()
    e.register({ key: 'fails', sync: true, trigger: { type: 'webhook' }, nodes: [{ key: 'bad', type: 'test.boom' }, answer(200, 'never')] })
    const { execution, response } = await e.run('fails')
    expect(execution.status).toBe('error')
    expect(execution.error?.message).toBe('node exploded')
    expect(response).toBeUndefined()
  })

  it('resolves an async run only once the queued execution has finished', async () => {
    const e = engine()
    e.register({ key: 'bg', trigger: { type: 'webhook' }, nodes: [{ key: 'slow', type: 'test.wait' }] })
    let settled = false
    const running = e.run('bg').then((result) => {
      settled = true
      return result
    })
    await turns(50)
    expect(settled).toBe(false)
    held.open()
    const { execution, response } = await running
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.result)).toEqual(['waited'])
    expect(response).toBeUndefined()
  })

  it('resolves a failing async run with status error', async () => {
    const e = engine()
    e.register({ key: 'bgfail', trigger: { type: 'webhook' }, nodes: [{ key: 'bad', type: 'test.boom' }] })
    const { execution } = await e.run('bgfail')
    expect(execution.status).toBe('error')
    expect(execution.jobs[0]?.error?.message).toBe('node exploded')
  })

  it('waits through a delay node until the parked execution wakes and finishes', async () => {
    const e = engine()
    e.register({ key: 'nap', trigger: { type: 'webhook' }, nodes: [{ key: 'pause', type: 'delay', config: { duration: 20 } }, { key: 'stop', type: 'end' }] })
    const { execution } = await e.run('nap')
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => [job.nodeKey, job.status])).toEqual([['pause', 'resolved'], ['stop', 'resolved']])
  })

  it('rejects an unknown workflow', async () => {
    await expect(engine().run('nosuch')).rejects.toThrow(WorkflowNotFoundError)
  })

  it('sees an async run that a worker elsewhere finished, from the store', async () => {
    const filename = join(dir, 'shared.db')
    const make = (worker: boolean) => {
      const made = createEngine({ store: createSqliteStore({ filename }), worker, nodeTypes: [defineNode({ type: 'test.where', run: () => (worker ? 'worker' : 'receiver') })] })
      made.register({ key: 'elsewhere', trigger: { type: 'webhook', id: 'elsewhere' }, nodes: [{ key: 'where', type: 'test.where' }] })
      engines.push(made)
      return made
    }
    const receiver = make(false)
    const worker = make(true)
    await worker.start()
    const { execution } = await receiver.run('elsewhere')
    expect(execution.status).toBe('resolved')
    expect(execution.jobs.map((job) => job.result)).toEqual(['worker'])
  })
})
