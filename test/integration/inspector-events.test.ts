import { describe, expect, it } from 'vitest'
import { ADMIN_AUTH, type InspectorApp, serveInspector } from '../helpers/inspector.js'

// `GET api/events` over a real socket: what a page's EventSource reads, and every way a
// stream ends, so that neither servers nor tests hang on one.

interface ServerEvent {
  event: string
  data: any
}

/** An open event stream: the events and comments read so far, and a way to wait for more. */
async function openStream(app: InspectorApp, signal?: AbortSignal) {
  const response = await fetch(`${app.url}/hookflow/api/events`, { headers: { authorization: ADMIN_AUTH }, ...(signal ? { signal } : {}) })
  expect(response.status).toBe(200)
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: ServerEvent[] = []
  const comments: string[] = []
  let buffer = ''
  let ended = false
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let event = 'message'
          let data = ''
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('event: ')) event = line.slice(7)
            else if (line.startsWith('data: ')) data += line.slice(6)
          }
          if (data) events.push({ event, data: JSON.parse(data) })
        }
      }
    } catch {
      // Aborted by the test.
    }
    ended = true
  })()
  const until = async (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  await until(() => comments.includes('connected'), 'the connected comment')
  return { response, events, comments, until, ended: () => ended, pump }
}

const listeners = (app: InspectorApp): number =>
  ['execution:created', 'execution:started', 'execution:finished', 'job:finished'].reduce((n, name) => n + app.engine.listenerCount(name as never), 0)

describe('the inspector event stream', () => {
  it('answers as Server-Sent Events with the security headers', async () => {
    const app = await serveInspector()
    const stream = await openStream(app)
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.response.headers.get('cache-control')).toBe('no-store')
    expect(stream.response.headers.get('content-security-policy')).toContain("default-src 'none'")
  })

  it('refuses a stream without credentials', async () => {
    const app = await serveInspector()
    expect((await fetch(`${app.url}/hookflow/api/events`)).status).toBe(401)
  })

  it('sends created, started, job finished and finished for a delivery over the socket, without its context', async () => {
    const app = await serveInspector()
    const stream = await openStream(app)
    const id = (await app.deliver('orders', { amount: 500 })).headers.get('x-execution-id')!
    await stream.until(() => stream.events.some((e) => e.event === 'execution:finished' && e.data.id === id), 'execution:finished')
    const mine = stream.events.filter((e) => (e.data.id ?? e.data.executionId) === id)
    expect(mine.map((e) => e.event)).toEqual(['execution:created', 'execution:started', 'job:finished', 'job:finished', 'execution:finished'])
    expect(mine[0]!.data).toMatchObject({ id, workflowKey: 'orders', status: 'queued', replayOf: null })
    expect(mine[2]!.data).toMatchObject({ executionId: id, workflowKey: 'orders', job: { nodeKey: 'big', status: 'resolved' } })
    expect(mine[4]!.data).toMatchObject({ id, status: 'resolved' })
    for (const event of mine) expect(JSON.stringify(event.data)).not.toContain('amount')
  })

  it('sends a keep-alive comment while nothing happens', async () => {
    const app = await serveInspector({ keepAliveMs: 40 })
    const stream = await openStream(app)
    await stream.until(() => stream.comments.filter((comment) => comment === 'keep-alive').length >= 2, 'two keep-alive comments')
  })

  it('stops listening to the engine when the client goes away', async () => {
    const app = await serveInspector()
    const before = listeners(app)
    const abort = new AbortController()
    await openStream(app, abort.signal)
    expect(listeners(app)).toBe(before + 4)
    abort.abort()
    const deadline = Date.now() + 5000
    while (listeners(app) !== before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(listeners(app)).toBe(before)
    expect(app.inspector).toBeDefined()
  })

  it('ends every open stream when the engine closes, so the server can close', async () => {
    const app = await serveInspector()
    const streams = [await openStream(app), await openStream(app)]
    await app.engine.close()
    for (const stream of streams) await stream.until(stream.ended, 'the end of the stream')
    const refused = await app.get('/hookflow/api/events')
    expect(refused.status).toBe(503)
  })

  it('ends every open stream when the inspector closes', async () => {
    const app = await serveInspector()
    const stream = await openStream(app)
    app.inspector.close()
    await stream.until(stream.ended, 'the end of the stream')
  })
})
