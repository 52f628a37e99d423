/**
 * @module
 * `GET api/events`: the engine's execution and job events as Server-Sent Events, to every open
 * page at once. The hub listens to the engine only while a stream is open, sends a keep-alive
 * comment so proxies keep idle streams open, and ends every stream when the client goes away,
 * when the engine closes, or when the inspector does, so servers and tests never hang on one.
 *
 * ```ts
 * const events = new EventSource('/hookflow/api/events')
 * events.addEventListener('execution:finished', (event) => console.log(JSON.parse(event.data).status))
 * ```
 */
import type { Engine } from '../engine/engine.js'
import type { ExecutionRecord, JobRecord } from '../engine/execution.js'
import { inspectorError } from './answers.js'
import { executionSummary } from './execution-summary.js'

/**
 * The events a stream carries; each `data` is JSON.
 *
 * @example
 * ```ts
 * import type { InspectorEventName } from 'hookflow/inspector'
 *
 * const names: InspectorEventName[] = ['execution:created', 'execution:finished']
 * const source = new EventSource('/hookflow/api/events')
 * for (const name of names) source.addEventListener(name, (event) => console.log(name, JSON.parse(event.data)))
 * ```
 */
export type InspectorEventName = 'execution:created' | 'execution:started' | 'execution:finished' | 'job:finished'

export const DEFAULT_KEEP_ALIVE_MS = 15_000

/** Chunks a client may fall behind by before its stream is ended (it reconnects and reloads). */
const MAX_BACKLOG = 1000

const encoder = new TextEncoder()

type Client = ReadableStreamDefaultController<Uint8Array>

export class EventHub {
  readonly #engine: Engine
  readonly #keepAliveMs: number
  readonly #clients = new Set<Client>()
  #timer: ReturnType<typeof setInterval> | undefined
  #closed = false
  readonly #listeners: Array<[InspectorEventName, (...args: never[]) => void]>

  constructor(engine: Engine, keepAliveMs = DEFAULT_KEEP_ALIVE_MS) {
    if (!(Number.isInteger(keepAliveMs) && keepAliveMs > 0)) throw new TypeError('keepAliveMs must be a positive integer')
    this.#engine = engine
    this.#keepAliveMs = keepAliveMs
    const execution = (name: InspectorEventName) => (record: ExecutionRecord) => this.#send(name, executionSummary(record))
    this.#listeners = [
      ['execution:created', execution('execution:created')],
      ['execution:started', execution('execution:started')],
      ['execution:finished', execution('execution:finished')],
      ['job:finished', (job: JobRecord, ref: { id: string; workflowKey: string }) => this.#send('job:finished', jobEvent(job, ref))],
    ]
    engine.once('engine:close', () => this.close())
  }

  /** How many streams are open. */
  get size(): number {
    return this.#clients.size
  }

  /** A new event stream for `request`; ends when its client goes away. */
  open(request: Request): Response {
    if (this.#closed) throw inspectorError('closed', 'The inspector or its engine is closed', 503)
    let client: Client | undefined
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        client = controller
        // `retry`: how long a browser waits before it reconnects a dropped stream.
        controller.enqueue(encoder.encode('retry: 2000\n: connected\n\n'))
        this.#add(controller)
      },
      cancel: () => {
        if (client) this.#remove(client)
      },
    })
    request.signal.addEventListener('abort', () => client && this.#end(client), { once: true })
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        // Proxies that buffer (nginx) would hold events back.
        'x-accel-buffering': 'no',
      },
    })
  }

  /** Ends every stream and refuses new ones. */
  close(): void {
    this.#closed = true
    for (const client of [...this.#clients]) this.#end(client)
  }

  #add(client: Client): void {
    if (this.#clients.size === 0) {
      for (const [name, listener] of this.#listeners) this.#engine.on(name, listener as never)
      this.#timer = setInterval(() => this.#broadcast(encoder.encode(': keep-alive\n\n')), this.#keepAliveMs)
      this.#timer.unref?.()
    }
    this.#clients.add(client)
  }

  #remove(client: Client): void {
    if (!this.#clients.delete(client)) return
    // Nobody watching: the engine's events cost it nothing again.
    if (this.#clients.size === 0) {
      for (const [name, listener] of this.#listeners) this.#engine.off(name, listener as never)
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }

  #end(client: Client): void {
    this.#remove(client)
    try {
      client.close()
    } catch {
      // Already closed or errored.
    }
  }

  #send(name: InspectorEventName, data: unknown): void {
    this.#broadcast(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`))
  }

  // Called from the engine's own events: nothing here may throw into the run that emitted them.
  #broadcast(chunk: Uint8Array): void {
    for (const client of this.#clients) {
      try {
        if ((client.desiredSize ?? 0) < -MAX_BACKLOG) this.#end(client)
        else client.enqueue(chunk)
      } catch {
        this.#end(client)
      }
    }
  }
}

function jobEvent(job: JobRecord, ref: { id: string; workflowKey: string }): unknown {
  const { index, nodeKey, type, status, startedAt, finishedAt, attempts } = job
  return { executionId: ref.id, workflowKey: ref.workflowKey, job: { index, nodeKey, type, status, startedAt, finishedAt, attempts: attempts ?? 1 } }
}
