import { describe, it, expect } from 'vitest'
import { createEngine } from '../../src/index.js'
import { echoNode, runToEnd, workflow } from '../engine/helpers.js'

describe('response node (sync workflows)', () => {
  // Registering the same key again replaces the workflow, so one engine serves every test.
  const engine = createEngine({ nodeTypes: [echoNode] })

  it('records the rendered answer on the execution', async () => {
    engine.register(workflow('w', [{ key: 'ok', type: 'response', config: { statusCode: 202, headers: [{ name: 'x-order', value: '{{$context.body.id}}' }], body: { id: '{{$context.body.id}}', n: '{{$context.body.n}}' } } }], { sync: true }))
    const execution = await runToEnd(engine, 'w', { body: { id: 'o-1', n: 3 } })
    expect(execution.status).toBe('resolved')
    expect(execution.response).toEqual({ statusCode: 202, headers: [{ name: 'x-order', value: 'o-1' }], body: { id: 'o-1', n: 3 } })
  })

  it('keeps the first answer when a later Response node runs', async () => {
    engine.register(workflow('w', [
      { key: 'first', type: 'response', config: { statusCode: 200, body: 'first', end: false } },
      { key: 'second', type: 'response', config: { statusCode: 500, body: 'second' } },
    ], { sync: true }))
    const execution = await runToEnd(engine, 'w')
    expect(execution.response?.body).toBe('first')
    expect(execution.jobs.map((job) => job.nodeKey)).toEqual(['first', 'second'])
  })

  it('fails the node when a rendered header value contains CR or LF', async () => {
    engine.register(workflow('w', [{ key: 'ok', type: 'response', config: { statusCode: 200, headers: [{ name: 'x-echo', value: '{{$context.body.v}}' }] } }], { sync: true }))
    const execution = await runToEnd(engine, 'w', { body: { v: 'a\r\nset-cookie: evil=1' } })
    expect(execution.status).toBe('error')
    expect(execution.response).toBeNull()
    expect(execution.jobs[0]?.status).toBe('error')
  })

  it('fails the node when a rendered statusCode is out of range', async () => {
    engine.register(workflow('w', [{ key: 'ok', type: 'response', config: { statusCode: '{{$context.body.code}}' } }], { sync: true }))
    const execution = await runToEnd(engine, 'w', { body: { code: 99 } })
    expect(execution.status).toBe('error')
    expect(execution.response).toBeNull()
  })
})
