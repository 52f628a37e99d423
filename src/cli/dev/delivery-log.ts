/**
 * @module
 * One line per delivery: when it arrived, the workflow, the HTTP status answered, the status
 * the execution ended with, how long from arrival to that end, and the execution id. An async
 * delivery is answered at once and its line waits for its execution to finish (a sync one
 * usually has finished by its answer). Executions that run here without a delivery (a retry
 * queued by `hookflow executions retry`, work resumed from the store) get a line too, without
 * a status code.
 *
 * ```ts
 * const log = new DeliveryLog(engine, (pathname) => workflowKeyAt(pathname), (line) => print(line))
 * const handler = { fetch: log.wrap(trigger.fetch) }
 * ```
 */
import type { Engine } from '../../engine/engine.js'
import { FINAL_STATUSES, type ExecutionRecord, type JobRecord } from '../../engine/execution.js'
import { splitUrl } from '../../core/split-url.js'

export interface DeliveryLine {
  /** Arrival, epoch ms (for a run without a delivery: when it was created). */
  time: number
  method?: string
  path?: string
  workflow?: string
  /** The HTTP answer; absent for a run without a delivery here. */
  statusCode?: number
  /** The execution's status (final unless the server closed first). */
  status?: string
  reason?: string
  /** Arrival to the execution's end (or to the answer, without an execution). */
  durationMs: number
  executionId?: string
  /** Why a failed, error or aborted execution ended: the node and its message. */
  error?: string
}

interface Pending {
  line: DeliveryLine
  /** performance.now() at arrival. */
  began: number
}

type Fetch = (request: Request) => Promise<Response>

/** The job that ended the run: the last one that did not resolve. */
function failingJob(jobs: readonly JobRecord[]): JobRecord | undefined {
  for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i]!.status !== 'resolved') return jobs[i]
  return undefined
}

function why(execution: ExecutionRecord): string | undefined {
  if (execution.status === 'resolved' || !FINAL_STATUSES.has(execution.status)) return undefined
  const job = failingJob(execution.jobs)
  const message = execution.error?.message ?? job?.error?.message
  const where = job ? `at node "${job.nodeKey}"` : undefined
  const text = [where, message].filter(Boolean).join(': ')
  return text || undefined
}

export class DeliveryLog {
  readonly #engine: Engine
  readonly #workflowAt: (pathname: string) => string | undefined
  readonly #print: (line: DeliveryLine) => void
  /** Executions created by deliveries to this server and not printed yet. */
  readonly #ours = new Set<string>()
  /** Executions that finished before their delivery's answer came back. */
  readonly #finishedEarly = new Map<string, ExecutionRecord>()
  /** Deliveries answered whose execution has not finished. */
  readonly #waiting = new Map<string, Pending[]>()

  constructor(engine: Engine, workflowAt: (pathname: string) => string | undefined, print: (line: DeliveryLine) => void) {
    this.#engine = engine
    this.#workflowAt = workflowAt
    this.#print = print
    engine.on('execution:created', (execution) => void this.#ours.add(execution.id))
    engine.on('execution:finished', (execution) => this.#finished(execution))
  }

  wrap(fetch: Fetch): Fetch {
    return async (request) => {
      const began = performance.now()
      const { pathname } = splitUrl(request.url)
      const line: DeliveryLine = { time: Date.now(), method: request.method, path: pathname, durationMs: 0 }
      const response = await fetch(request)
      line.statusCode = response.status
      line.durationMs = Math.round(performance.now() - began)
      const executionId = response.headers.get('x-execution-id') ?? undefined
      if (executionId === undefined) {
        line.workflow = this.#workflowAt(pathname)
        this.#print(line)
      } else {
        line.executionId = executionId
        void this.#answered({ line, began }, executionId).catch(() => this.#print(line))
      }
      return response
    }
  }

  /** Prints what still waits for its execution, with the status it has now. */
  async flush(): Promise<void> {
    const waiting = [...this.#waiting]
    this.#waiting.clear()
    for (const [id, deliveries] of waiting) {
      const execution = await this.#engine.getExecution(id).catch(() => undefined)
      for (const delivery of deliveries) this.#complete(delivery, execution)
    }
  }

  async #answered(delivery: Pending, id: string): Promise<void> {
    const early = this.#finishedEarly.get(id)
    if (early) {
      this.#finishedEarly.delete(id)
      this.#ours.delete(id)
      return this.#complete(delivery, early)
    }
    this.#wait(id, delivery)
    // An execution made here always reports its end; one found by an idempotent replay may
    // have ended long ago.
    if (this.#ours.has(id)) return
    const execution = await this.#engine.getExecution(id)
    if (execution && FINAL_STATUSES.has(execution.status) && this.#waiting.has(id)) {
      const deliveries = this.#waiting.get(id)!
      this.#waiting.delete(id)
      for (const each of deliveries) this.#complete(each, execution)
    }
  }

  #wait(id: string, delivery: Pending): void {
    const list = this.#waiting.get(id)
    if (list) list.push(delivery)
    else this.#waiting.set(id, [delivery])
  }

  #finished(execution: ExecutionRecord): void {
    const deliveries = this.#waiting.get(execution.id)
    if (deliveries) {
      this.#waiting.delete(execution.id)
      this.#ours.delete(execution.id)
      for (const delivery of deliveries) this.#complete(delivery, execution)
    } else if (this.#ours.has(execution.id)) {
      this.#finishedEarly.set(execution.id, execution)
      // An answer without X-Execution-Id never claims its entry: keep the map bounded.
      if (this.#finishedEarly.size > 1000) {
        const oldest = this.#finishedEarly.keys().next().value!
        this.#finishedEarly.delete(oldest)
        this.#ours.delete(oldest)
      }
    } else {
      const began = execution.startedAt ?? execution.createdAt
      this.#print(this.#describe({ time: began, durationMs: (execution.finishedAt ?? Date.now()) - began }, execution))
    }
  }

  #complete(delivery: Pending, execution: ExecutionRecord | undefined): void {
    const { line } = delivery
    if (execution?.finishedAt != null) line.durationMs = Math.max(line.durationMs, execution.finishedAt - line.time)
    this.#print(execution ? this.#describe(line, execution) : line)
  }

  #describe(line: DeliveryLine, execution: ExecutionRecord): DeliveryLine {
    line.workflow = execution.workflowKey
    line.status = execution.status
    if (execution.reason) line.reason = execution.reason
    line.executionId = execution.id
    const error = why(execution)
    if (error) line.error = error
    return line
  }
}
