import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { defineNode, type AnyWorkflowDefinition, type WorkflowDefinition } from '../../src/index.js'
import { TokenBucket } from '../../src/core/limits/token-bucket.js'
import { BodyDeadlines } from '../../src/core/limits/body-deadlines.js'
import { gate, until } from '../engine/helpers.js'
import { expectErrorBody, expectNoExecution, idPath, post, request, setup } from '../helpers/webhook.js'

const hello: WorkflowDefinition = { key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] }

/** A JSON body that sends `first` and then nothing, never ending. */
function stalled(path: string, first = '{"a":'): Request {
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode(first)),
  })
  return request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
}

interface ChildRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `body` in a fresh Node process with a trigger on `hello` (options `trigger`) and a
 * `stalled(path)` helper, and resolves once it exits by itself: only when no timer or other
 * handle holds it. One that is held is killed after `killAfterMs` (code null): how long that
 * takes depends on nothing the test asserts, and no other test's timers are counted.
 */
function runAlone(trigger: string, body: string, killAfterMs = 60_000): Promise<ChildRun> {
  const script = `
    import { createEngine, WebhookTrigger } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).pathname)}
    const engine = createEngine()
    engine.register({ key: 'hello', trigger: { type: 'webhook', id: 'hello' }, nodes: [] })
    const trigger = new WebhookTrigger({ engine, ...${trigger} })
    const url = 'http://localhost/api/webhook:trigger/hello'
    const stalled = () => new Request(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, duplex: 'half',
      body: new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"a":')) }),
    })
    ${body}
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout: stdout.trim(), stderr })
    })
  })
}

// Spawning Node with tsx takes seconds on a busy machine.
const CHILD_TEST_TIMEOUT = 90_000

describe('the body read deadline (408)', () => {
  it('answers 408 body_timeout to a body that stops arriving, creating nothing', async () => {
    const { engine, trigger } = setup([hello], { trigger: { bodyTimeout: 50 } })
    const response = await trigger.fetch(stalled(idPath('hello')))
    expect(response.status).toBe(408)
    await expectErrorBody(response, 'body_timeout')
    await expectNoExecution(engine)
  })

  it('defaults to 30 s and refuses a negative value', () => {
    const { trigger } = setup([hello])
    expect(trigger.bodyTimeout).toBe(30_000)
    expect(() => setup([hello], { trigger: { bodyTimeout: -1 } })).toThrow(/bodyTimeout/)
  })

  it('leaves no timer holding the process once a body is read', async () => {
    const run = await runAlone('{ bodyTimeout: 600_000 }', `
      const response = await trigger.fetch(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }))
      console.log(response.status)
    `)
    expect(run).toEqual({ code: 0, stdout: '200', stderr: '' })
  }, CHILD_TEST_TIMEOUT)

  it('keeps no timer holding the process while a body is being read', async () => {
    // The read never ends and its deadline is ten minutes away: only an unref'd watch lets Node exit.
    const run = await runAlone('{ bodyTimeout: 600_000 }', `
      let answered = false
      trigger.fetch(stalled()).then(() => (answered = true))
      process.on('beforeExit', () => console.log(answered ? 'answered' : 'still reading'))
    `)
    expect(run).toEqual({ code: 0, stdout: 'still reading', stderr: '' })
  }, CHILD_TEST_TIMEOUT)

  it('watches reads with one sweep: each expires once, and a finished read is forgotten', async () => {
    const deadlines = new BodyDeadlines(20)
    let expired = 0
    const unwatchDone = deadlines.watch(() => void expired++)
    unwatchDone()
    const unwatchSlow = deadlines.watch(() => void expired++)
    expect(deadlines.size).toBe(1)
    await expect.poll(() => expired, { timeout: 10_000, interval: 5 }).toBeGreaterThan(0)
    unwatchSlow()
    expect([expired, deadlines.size]).toEqual([1, 0])
    expect(deadlines.error()).toMatchObject({ status: 408, code: 'body_timeout' })
  })

  it('keeps no timer holding the process for a body that timed out', async () => {
    // The test holds the process until the answer (the trigger's watch does not), then lets go.
    const run = await runAlone('{ bodyTimeout: 20 }', `
      const hold = setInterval(() => {}, 1000)
      console.log((await trigger.fetch(stalled())).status)
      clearInterval(hold)
    `)
    expect(run).toEqual({ code: 0, stdout: '408', stderr: '' })
  }, CHILD_TEST_TIMEOUT)
})

describe('header (431) and query (414) size limits', () => {
  it('answers 414 to a query string longer than queryLimit, before routing', async () => {
    const { engine, trigger } = setup([hello], { trigger: { queryLimit: 100 } })
    const response = await trigger.fetch(post(`${idPath('nope')}?q=${'x'.repeat(99)}`, {}))
    expect(response.status).toBe(414)
    await expectErrorBody(response, 'query_too_long')
    await expectNoExecution(engine)
  })

  it('accepts a query of exactly queryLimit bytes', async () => {
    const { trigger } = setup([hello], { trigger: { queryLimit: 100 } })
    expect((await trigger.fetch(post(`${idPath('hello')}?q=${'x'.repeat(98)}`, {}))).status).toBe(200)
  })

  it('has a default query limit of 8 KiB', async () => {
    const { trigger } = setup([hello])
    expect(trigger.queryLimit).toBe(8192)
    expect((await trigger.fetch(post(`${idPath('hello')}?q=${'x'.repeat(8192)}`, {}))).status).toBe(414)
  })

  it('answers 431 to headers larger than headerLimit', async () => {
    const { engine, trigger } = setup([hello], { trigger: { headerLimit: 1024 } })
    const response = await trigger.fetch(post(idPath('hello'), {}, { headers: { 'x-big': 'x'.repeat(1024) } }))
    expect(response.status).toBe(431)
    await expectErrorBody(response, 'headers_too_large')
    await expectNoExecution(engine)
  })

  it('has a default header limit of 16 KiB, as Node', async () => {
    const { trigger } = setup([hello])
    expect(trigger.headerLimit).toBe(16_384)
    expect((await trigger.fetch(post(idPath('hello'), {}, { headers: { 'x-big': 'x'.repeat(8192) } }))).status).toBe(200)
    expect((await trigger.fetch(post(idPath('hello'), {}, { headers: { 'x-big': 'x'.repeat(16_384) } }))).status).toBe(431)
  })
})

describe('trigger.rateLimit (429)', () => {
  const limited: WorkflowDefinition = { key: 'rl', trigger: { type: 'webhook', id: 'rl', rateLimit: { limit: 2, windowMs: 60_000 } }, nodes: [] }

  it('answers 429 with Retry-After once the window’s deliveries are used, creating nothing more', async () => {
    const { engine, trigger } = setup([limited])
    expect((await trigger.fetch(post(idPath('rl'), {}))).status).toBe(200)
    expect((await trigger.fetch(post(idPath('rl'), {}))).status).toBe(200)
    const response = await trigger.fetch(post(idPath('rl'), {}))
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    await expectErrorBody(response, 'rate_limited')
    await engine.idle()
    expect(await engine.listExecutions()).toHaveLength(2)
  })

  it('spends nothing on a delivery refused for its body', async () => {
    const { engine, trigger } = setup([limited])
    for (let i = 0; i < 5; i++) expect((await trigger.fetch(post(idPath('rl'), '{"bad"'))).status).toBe(400)
    expect((await trigger.fetch(post(idPath('rl'), {}))).status).toBe(200)
    await engine.idle()
  })

  it('counts each workflow on its own', async () => {
    const { trigger } = setup([limited, hello])
    for (let i = 0; i < 3; i++) await trigger.fetch(post(idPath('rl'), {}))
    expect((await trigger.fetch(post(idPath('hello'), {}))).status).toBe(200)
  })

  it('refuses a limit below 1 at register', () => {
    expect(() => setup([{ ...limited, trigger: { ...limited.trigger, rateLimit: { limit: 0, windowMs: 1000 } } }])).toThrow(/rateLimit\/limit/)
  })

  it('refills evenly over the window (token bucket)', () => {
    const bucket = new TokenBucket(2, 1000, 0)
    expect([bucket.take(0), bucket.take(0)]).toEqual([0, 0])
    expect(bucket.take(0)).toBe(500)
    expect(bucket.take(499)).toBe(1)
    expect(bucket.take(500)).toBe(0)
    expect(bucket.take(10_000)).toBe(0)
    expect(bucket.take(10_000)).toBe(0)
    expect(bucket.take(10_000)).toBeGreaterThan(0)
  })
})

describe('options.concurrency and options.maxQueued (503)', () => {
  function held() {
    const gates: Array<ReturnType<typeof gate>> = []
    let running = 0
    let most = 0
    const node = defineNode({
      type: 'test.hold',
      run: async () => {
        running++
        most = Math.max(most, running)
        const g = gate()
        gates.push(g)
        await g.promise
        running--
        return {}
      },
    })
    return { node, gates, most: () => most, running: () => running }
  }

  it('answers a sync delivery 503 with Retry-After while maxQueued are waiting, creating nothing', async () => {
    const hold = held()
    const busy: AnyWorkflowDefinition = { key: 'busy', sync: true, options: { concurrency: 1, maxQueued: 0 }, trigger: { type: 'webhook', id: 'busy' }, nodes: [{ key: 'h', type: 'test.hold' }] }
    const { engine, trigger } = setup([busy], { engine: { nodeTypes: [hold.node] } })
    const first = trigger.fetch(post(idPath('busy'), {}))
    await until(() => hold.gates.length === 1)
    const second = await trigger.fetch(post(idPath('busy'), {}))
    expect(second.status).toBe(503)
    expect(second.headers.get('retry-after')).toBe('1')
    await expectErrorBody(second, 'workflow_busy')
    hold.gates[0]!.open()
    expect((await first).status).toBe(200)
    await engine.idle()
    expect(await engine.listExecutions()).toHaveLength(1)
  })

  it('runs at most `concurrency` async executions of a workflow at once, the rest in turn', async () => {
    const hold = held()
    const limited: AnyWorkflowDefinition = { key: 'one', options: { concurrency: 1 }, trigger: { type: 'webhook', id: 'one' }, nodes: [{ key: 'h', type: 'test.hold' }] }
    const { engine, trigger } = setup([limited], { engine: { nodeTypes: [hold.node] } })
    for (let i = 0; i < 4; i++) expect((await trigger.fetch(post(idPath('one'), {}))).status).toBe(200)
    for (let i = 0; i < 4; i++) {
      await until(() => hold.gates.length === i + 1)
      hold.gates[i]!.open()
    }
    await engine.idle()
    expect(hold.most()).toBe(1)
    const executions = await engine.listExecutions()
    expect(executions.map((e) => e.status)).toEqual(['resolved', 'resolved', 'resolved', 'resolved'])
  })

  it('answers 503 past maxQueued waiting async executions and accepts again once one starts', async () => {
    const hold = held()
    const limited: AnyWorkflowDefinition = { key: 'q', options: { concurrency: 1, maxQueued: 1 }, trigger: { type: 'webhook', id: 'q' }, nodes: [{ key: 'h', type: 'test.hold' }] }
    const { engine, trigger } = setup([limited], { engine: { nodeTypes: [hold.node] } })
    expect((await trigger.fetch(post(idPath('q'), {}))).status).toBe(200)
    await until(() => hold.gates.length === 1)
    expect((await trigger.fetch(post(idPath('q'), {}))).status).toBe(200)
    const refused = await trigger.fetch(post(idPath('q'), {}))
    expect(refused.status).toBe(503)
    await expectErrorBody(refused, 'workflow_busy')
    hold.gates[0]!.open()
    await until(() => hold.gates.length === 2)
    expect((await trigger.fetch(post(idPath('q'), {}))).status).toBe(200)
    hold.gates[1]!.open()
    await until(() => hold.gates.length === 3)
    hold.gates[2]!.open()
    await engine.idle()
    expect(await engine.listExecutions()).toHaveLength(3)
  })

  it('lets other workflows run while one waits for its slots', async () => {
    const hold = held()
    const one: AnyWorkflowDefinition = { key: 'one', options: { concurrency: 1 }, trigger: { type: 'webhook', id: 'one' }, nodes: [{ key: 'h', type: 'test.hold' }] }
    const { engine, trigger } = setup([one, hello], { engine: { nodeTypes: [hold.node], concurrency: 2 } })
    for (let i = 0; i < 5; i++) await trigger.fetch(post(idPath('one'), {}))
    const other = await trigger.fetch(post(idPath('hello'), {}))
    await until(() => hold.gates.length === 1)
    // The queue's two workers are not both held by executions waiting for `one`'s single slot.
    const id = other.headers.get('x-execution-id')!
    for (let i = 0; i < 200; i++) {
      if ((await engine.getExecution(id))?.status === 'resolved') break
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await engine.getExecution(id))?.status).toBe('resolved')
    expect(hold.running()).toBe(1)
    for (let i = 0; i < 5; i++) {
      await until(() => hold.gates.length === i + 1)
      hold.gates[i]!.open()
    }
    await engine.idle()
  })

  it('forgets a waiting execution that was canceled before it started, so it no longer counts', async () => {
    const hold = held()
    const blocker: AnyWorkflowDefinition = { key: 'blocker', trigger: { type: 'webhook', id: 'blocker' }, nodes: [{ key: 'h', type: 'test.hold' }] }
    const q: WorkflowDefinition = { key: 'q', options: { maxQueued: 1 }, trigger: { type: 'webhook', id: 'q' }, nodes: [] }
    // One queue worker, held by `blocker`: q's executions stay queued.
    const { engine, trigger } = setup([blocker, q], { engine: { nodeTypes: [hold.node], concurrency: 1 } })
    await trigger.fetch(post(idPath('blocker'), {}))
    await until(() => hold.gates.length === 1)
    const first = await trigger.fetch(post(idPath('q'), {}))
    expect(first.status).toBe(200)
    expect(await engine.cancel(first.headers.get('x-execution-id')!)).toBe(true)
    const second = await trigger.fetch(post(idPath('q'), {}))
    expect(second.status).toBe(200)
    expect((await trigger.fetch(post(idPath('q'), {}))).status).toBe(503)
    hold.gates[0]!.open()
    await engine.idle()
    const statuses = (await engine.listExecutions({ workflowKey: 'q' })).map((e) => e.status).sort()
    expect(statuses).toEqual(['aborted', 'resolved'])
  })

  it('refuses a concurrency below 1 at register', () => {
    expect(() => setup([{ ...hello, options: { concurrency: 0 } }])).toThrow(/options\/concurrency/)
  })
})
