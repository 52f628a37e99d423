import { describe, expect, it, vi } from 'vitest'
import { type AnyWorkflowDefinition as WorkflowDefinition, createConsoleLogger, createEngine, defineNode } from '../../src/index.js'
import { BASE, post, setup } from '../helpers/webhook.js'
import { pinoCapture } from './log-capture.js'

const boom = defineNode({
  type: 'test.boom',
  run: () => {
    throw Object.assign(new Error("'+' expects a number, got undefined"), { code: 'bad_operand' })
  },
})
const hang = defineNode({
  type: 'test.hang',
  run: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
})

function flow(key: string, nodes: WorkflowDefinition['nodes'], extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { key, trigger: { type: 'webhook', id: key }, nodes, ...extra }
}

describe('logging: failures', () => {
  it('writes exactly one warn line for an async run whose node throws, naming the workflow, execution, node and error', async () => {
    const log = pinoCapture('warn')
    const { engine, trigger } = setup([flow('orders', [{ key: 'score', type: 'test.boom' }])], { engine: { logger: log.logger, nodeTypes: [boom] } })
    const response = await trigger.fetch(post(`${BASE}/orders`, { id: 1 }))
    expect(response.status).toBe(200)
    await engine.idle()
    const lines = log.lines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'warn',
      workflowKey: 'orders',
      executionId: response.headers.get('x-execution-id'),
      status: 'error',
      nodeKey: 'score',
      nodeType: 'test.boom',
      errorCode: 'bad_operand',
      errorMessage: "'+' expects a number, got undefined",
    })
    expect(lines[0]!.durationMs).toBeTypeOf('number')
    expect(lines[0]!.msg).toContain("'+' expects a number")
  })

  it('writes exactly one warn line for a sync run aborted by trigger.timeout, with reason timeout', async () => {
    const log = pinoCapture('warn')
    const { engine, trigger } = setup([flow('slow', [{ key: 'wait', type: 'test.hang' }], { sync: true, trigger: { type: 'webhook', id: 'slow', timeout: 30 } })], {
      engine: { logger: log.logger, nodeTypes: [hang] },
    })
    const response = await trigger.fetch(post(`${BASE}/slow`, {}))
    expect(response.status).toBe(408)
    await engine.idle()
    const lines = log.lines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'warn', workflowKey: 'slow', status: 'aborted', reason: 'timeout', nodeKey: 'wait' })
  })

  it('writes exactly one warn line for a cancelled run, with reason canceled', async () => {
    const log = pinoCapture('warn')
    const { engine, trigger } = setup([flow('long', [{ key: 'wait', type: 'test.hang' }])], { engine: { logger: log.logger, nodeTypes: [hang] } })
    const response = await trigger.fetch(post(`${BASE}/long`, {}))
    const id = response.headers.get('x-execution-id')!
    await vi.waitFor(async () => expect((await engine.getExecution(id))?.status).toBe('started'))
    expect(await engine.cancel(id)).toBe(true)
    await engine.idle()
    const lines = log.lines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'warn', executionId: id, status: 'aborted', reason: 'canceled' })
  })

  it('writes nothing for a run that resolves', async () => {
    const log = pinoCapture('warn')
    const { engine, trigger } = setup([flow('fine', [])], { engine: { logger: log.logger } })
    expect((await trigger.fetch(post(`${BASE}/fine`, {}))).status).toBe(200)
    await engine.idle()
    expect(log.lines()).toEqual([])
  })

  it('writes a warn line when a node retry is scheduled, before the failure line', async () => {
    const log = pinoCapture('warn')
    const { engine, trigger } = setup([flow('again', [{ key: 'score', type: 'test.boom', retry: { attempts: 2, delayMs: 1 } }])], {
      engine: { logger: log.logger, nodeTypes: [boom] },
    })
    await trigger.fetch(post(`${BASE}/again`, {}))
    await engine.idle()
    const lines = log.lines()
    expect(lines.map((line) => [line.level, line.status ?? 'retry'])).toEqual([['warn', 'retry'], ['warn', 'error']])
    expect(lines[0]).toMatchObject({ workflowKey: 'again', nodeKey: 'score', attempt: 1, delayMs: 1 })
    expect(lines[0]!.msg).toContain('retry of node "score" scheduled')
  })

  it('logs an engine error event nobody listens to once, at error', () => {
    const log = pinoCapture('warn')
    const engine = createEngine({ logger: log.logger })
    engine.emit('error', new Error('the sweep failed', { cause: new Error('disk full') }))
    expect(log.lines()).toHaveLength(1)
    expect(log.lines()[0]).toMatchObject({ level: 'error', errorMessage: 'the sweep failed', cause: 'disk full' })
    expect(log.lines()[0]!.msg).toContain("engine.on('error'")
  })

  it('leaves an engine error event that a listener heard to the listener', () => {
    const log = pinoCapture('warn')
    const engine = createEngine({ logger: log.logger })
    const heard: Error[] = []
    engine.on('error', (error) => heard.push(error))
    engine.emit('error', new Error('the sweep failed'))
    expect(heard).toHaveLength(1)
    expect(log.lines()).toEqual([])
  })

  it('logs a store outage once per failed delivery, at error, with the cause message, and answers 503', async () => {
    const log = pinoCapture('debug')
    const { createMemoryStore } = await import('../../src/index.js')
    const store = createMemoryStore()
    store.executions.create = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
    const { trigger } = setup([flow('pay', [])], { engine: { logger: log.logger, store } })
    const response = await trigger.fetch(post(`${BASE}/pay`, {}))
    expect(response.status).toBe(503)
    const errors = log.lines().filter((line) => line.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ errorCode: 'storage_unavailable', statusCode: 503, path: `${BASE}/pay`, cause: 'connect ECONNREFUSED 127.0.0.1:5432' })
    expect(errors[0]!.msg).toContain('ECONNREFUSED')
  })
})

describe('logging: levels and what is never logged', () => {
  it('logs each delivery at debug with method, path, status, duration and execution id', async () => {
    const log = pinoCapture('debug')
    const { engine, trigger } = setup([flow('hello', [])], { engine: { logger: log.logger } })
    const response = await trigger.fetch(post(`${BASE}/hello?x=1`, { a: 1 }))
    await engine.idle()
    const deliveries = log.lines().filter((line) => line.level === 'debug')
    expect(deliveries).toHaveLength(1)
    expect(deliveries[0]).toMatchObject({ method: 'POST', path: `${BASE}/hello`, statusCode: 200, executionId: response.headers.get('x-execution-id') })
    expect(deliveries[0]!.durationMs).toBeTypeOf('number')
  })

  it('logs register at info with the key, the mode and the path', () => {
    const log = pinoCapture('info')
    const engine = createEngine({ logger: log.logger })
    engine.register(flow('pay', [], { sync: true }))
    expect(log.lines()).toEqual([expect.objectContaining({ level: 'info', workflowKey: 'pay', mode: 'sync', path: '/pay' })])
  })

  it('logs start and close at info', async () => {
    const log = pinoCapture('info')
    const engine = createEngine({ logger: log.logger })
    await engine.start()
    await engine.close()
    expect(log.lines().map((line) => line.msg)).toEqual(['engine started', 'engine closed'])
  })

  it('never writes the authorization header, the password or the body into a log line', async () => {
    const log = pinoCapture('debug')
    const { engine, trigger } = setup(
      [flow('secret', [{ key: 'score', type: 'test.boom' }], { trigger: { type: 'webhook', id: 'secret', basicAuthentication: { username: 'hook', password: 'hunter2-pass' } } })],
      { engine: { logger: log.logger, nodeTypes: [boom] } },
    )
    const authorization = `Basic ${Buffer.from('hook:hunter2-pass').toString('base64')}`
    const response = await trigger.fetch(post(`${BASE}/secret`, { card: '4242-4242-SECRET' }, { headers: { authorization, cookie: 'session=COOKIE-VALUE' } }))
    expect(response.status).toBe(200)
    await engine.idle()
    expect(log.lines().length).toBeGreaterThanOrEqual(2)
    for (const secret of ['hunter2-pass', authorization.slice(6), '4242-4242-SECRET', 'COOKIE-VALUE']) expect(log.text()).not.toContain(secret)
  })
})

describe('logging: the default console logger', () => {
  it('writes one line per failed execution to console.error, at warn, by default', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const { engine, trigger } = setup([flow('orders', [{ key: 'score', type: 'test.boom' }])], { engine: { nodeTypes: [boom] } })
      await trigger.fetch(post(`${BASE}/orders`, {}))
      await engine.idle()
      expect(spy).toHaveBeenCalledTimes(1)
      const line = String(spy.mock.calls[0]![0])
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  hookflow: execution error at node "score"/)
      expect(line).toContain('workflowKey=orders')
      expect(line).toContain('nodeKey=score')
      expect(line).toContain(`errorMessage="'+' expects a number, got undefined"`)
    } finally {
      spy.mockRestore()
    }
  })

  it('is silent with logger: false', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const info = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      const { engine, trigger } = setup([flow('orders', [{ key: 'score', type: 'test.boom' }])], { engine: { nodeTypes: [boom], logger: false } })
      await trigger.fetch(post(`${BASE}/orders`, {}))
      await engine.idle()
      engine.emit('error', new Error('unheard'))
      expect(spy).not.toHaveBeenCalled()
      expect(info).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
      info.mockRestore()
    }
  })

  it('writes lines from the level it was given, through its write function', () => {
    const written: Array<[string, string]> = []
    const logger = createConsoleLogger({ level: 'info', write: (line, level) => written.push([level, line]) })
    logger.debug({ a: 1 }, 'dropped')
    logger.info({ workflowKey: 'pay', path: '/a b' }, 'kept')
    expect(written).toHaveLength(1)
    expect(written[0]![0]).toBe('info')
    expect(written[0]![1]).toMatch(/INFO  hookflow: kept workflowKey=pay path="\/a b"$/)
  })

  it('refuses an unknown level, naming the known ones', () => {
    expect(() => createConsoleLogger({ level: 'verbose' as 'info' })).toThrow('level must be one of debug, info, warn, error, got "verbose"')
  })
})
