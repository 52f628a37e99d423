/**
 * @module
 * The default store: executions and jobs in this process's memory, lost on exit. It keeps a
 * bounded history (the last 10,000 finished executions by default) so a long-running process
 * does not grow without limit; queued and running executions are never evicted.
 *
 * ```ts
 * const engine = createEngine({ store: createMemoryStore({ maxFinished: 1000 }) })
 * ```
 */
import { FINAL_STATUSES, type ExecutionRecord, type JobRecord } from '../engine/execution.js'
import { jobText } from './job-text.js'
import type {
  ClaimOptions,
  CreateResult,
  ExecutionPatch,
  ListExecutionsQuery,
  NewExecution,
  PruneOptions,
  Store,
} from './store.js'

export interface MemoryStoreOptions {
  /** Finished executions kept; the oldest finished ones go first. Default 10,000. */
  maxFinished?: number
}

/**
 * A record as kept: context, response and jobs as JSON text, as a durable store keeps them. No
 * caller can change a stored record through an object it holds, and what cannot be stored as
 * JSON shows up here the same way it would in SQLite or Postgres.
 */
type Stored = Omit<ExecutionRecord, 'context' | 'response' | 'jobs'> & { context: string; response: string | null }

interface Entry {
  record: Stored
  /** Job records as JSON text, by index. */
  jobs: string[]
  owner: string | null
  leaseUntil: number
  /** Counted in the bounded history. */
  finished: boolean
}

function copy(record: Stored): ExecutionRecord {
  return {
    ...record,
    context: JSON.parse(record.context) as ExecutionRecord['context'],
    response: record.response === null ? null : (JSON.parse(record.response) as ExecutionRecord['response']),
    error: record.error && { ...record.error },
    jobs: [],
  }
}

// Lists and pruning go by creation time (insertion order on a tie), as durable stores do.
// Records arrive in that order nearly always, and a stable sort of sorted input is linear.
function byCreation(entries: Iterable<Entry>): Entry[] {
  return [...entries].sort((a, b) => a.record.createdAt - b.record.createdAt)
}

/** The holder's idempotency window has passed by `now`: its event key may be taken over. */
function keyExpired(record: Stored, now: number): boolean {
  const expiresAt = record.eventKeyExpiresAt
  return expiresAt !== undefined && expiresAt !== null && expiresAt <= now
}

function toText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value)
}

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const maxFinished = options.maxFinished ?? 10_000
  if (!Number.isInteger(maxFinished) || maxFinished < 0) {
    throw new TypeError(`maxFinished must be a non-negative integer, got ${String(options.maxFinished)}`)
  }
  const entries = new Map<string, Entry>()
  const byEventKey = new Map<string, string>()
  // Finished ids in finishing order, oldest at `head`: an array queue, since evicting the
  // oldest must stay O(1) at 10,000 entries and thousands of finishes per second.
  let order: string[] = []
  let head = 0
  let finishedCount = 0

  const remove = (id: string): boolean => {
    const entry = entries.get(id)
    if (!entry) return false
    entries.delete(id)
    if (entry.finished) finishedCount--
    if (entry.record.eventKey !== null) byEventKey.delete(entry.record.eventKey)
    return true
  }

  const markFinished = (id: string, entry: Entry): void => {
    if (entry.finished) return
    entry.finished = true
    finishedCount++
    order.push(id)
    while (finishedCount > maxFinished && head < order.length) {
      const oldest = order[head++]!
      // Ids deleted meanwhile are skipped; a live finished one is evicted.
      if (entries.get(oldest)?.finished) remove(oldest)
    }
    if (head > 1024 && head * 2 > order.length) {
      order = order.slice(head)
      head = 0
    }
  }

  return {
    executions: {
      async create(execution: NewExecution, claim?: ClaimOptions): Promise<CreateResult> {
        if (execution.eventKey !== null) {
          const existing = byEventKey.get(execution.eventKey)
          const entry = existing === undefined ? undefined : entries.get(existing)
          if (entry && !keyExpired(entry.record, execution.createdAt)) return { created: false, execution: copy(entry.record) }
          if (entries.has(execution.id)) throw new Error(`Execution ${execution.id} already exists`)
          // An expired holder gives its key up and stays otherwise as it was.
          if (entry) entry.record = { ...entry.record, eventKey: null }
        }
        if (entries.has(execution.id)) throw new Error(`Execution ${execution.id} already exists`)
        const record: Stored = {
          ...execution,
          context: JSON.stringify(execution.context),
          response: toText(execution.response),
          error: execution.error && { ...execution.error },
        }
        const entry: Entry = {
          record,
          jobs: [],
          owner: claim?.owner ?? null,
          leaseUntil: claim ? claim.now + claim.leaseMs : 0,
          finished: false,
        }
        entries.set(record.id, entry)
        if (record.eventKey !== null) byEventKey.set(record.eventKey, record.id)
        if (FINAL_STATUSES.has(record.status)) markFinished(record.id, entry)
        // The caller's own data back, so creating costs no parse.
        return { created: true, execution: { ...execution, jobs: [] } }
      },

      async get(id: string): Promise<ExecutionRecord | undefined> {
        const entry = entries.get(id)
        return entry && copy(entry.record)
      },

      async update(id: string, patch: ExecutionPatch): Promise<void> {
        const entry = entries.get(id)
        if (!entry) throw new Error(`Execution ${id} does not exist`)
        const { response, error, ...rest } = patch
        entry.record = { ...entry.record, ...rest }
        if (response !== undefined) entry.record.response = toText(response)
        if (error !== undefined) entry.record.error = error && { ...error }
        if (FINAL_STATUSES.has(entry.record.status)) markFinished(id, entry)
        else if (entry.finished) {
          // Back to work (a retry): out of the bounded history until it finishes again.
          entry.finished = false
          finishedCount--
        }
      },

      async claim(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<ExecutionRecord | undefined> {
        const entry = entries.get(id)
        if (!entry) return undefined
        const { status } = entry.record
        const expired = status === 'started' && entry.leaseUntil <= now
        if (status !== 'queued' && !expired) return undefined
        if (status === 'queued' && (entry.record.wakeAt ?? 0) > now) return undefined
        entry.owner = owner
        entry.leaseUntil = now + leaseMs
        entry.record = {
          ...entry.record,
          status: 'started',
          startedAt: entry.record.startedAt ?? now,
          attempts: entry.record.attempts + 1,
        }
        return copy(entry.record)
      },

      async renew(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<boolean> {
        const entry = entries.get(id)
        if (!entry || entry.owner !== owner || entry.record.status !== 'started') return false
        entry.leaseUntil = now + leaseMs
        return true
      },

      async claimable({ now, limit }: { now: number; limit: number }): Promise<string[]> {
        const ids: string[] = []
        for (const [id, entry] of entries) {
          if (ids.length >= limit) break
          const { status } = entry.record
          const due = status === 'queued' && (entry.record.wakeAt ?? 0) <= now
          if (due || (status === 'started' && entry.leaseUntil <= now)) ids.push(id)
        }
        return ids
      },

      // Newest first is creation order reversed; a page continues after its `before` entry.
      async list(query: ListExecutionsQuery): Promise<ExecutionRecord[]> {
        const statuses = query.status === undefined ? undefined : new Set([query.status].flat())
        const out: ExecutionRecord[] = []
        const all = byCreation(entries.values())
        let start = all.length - 1
        const before = query.before
        if (before) {
          const at = all.findIndex((entry) => entry.record.id === before.id)
          start = at >= 0 ? at - 1 : all.findLastIndex((entry) => entry.record.createdAt < before.createdAt)
        }
        for (let i = start; i >= 0 && out.length < query.limit; i--) {
          const record = all[i]!.record
          if (query.workflowKey !== undefined && record.workflowKey !== query.workflowKey) continue
          if (statuses && !statuses.has(record.status)) continue
          if (query.since !== undefined && record.createdAt < query.since) continue
          out.push(copy(record))
        }
        return out
      },

      async delete(id: string): Promise<boolean> {
        return remove(id)
      },

      async prune({ createdBefore, keep }: PruneOptions): Promise<number> {
        const final = byCreation(entries.values()).filter((entry) => FINAL_STATUSES.has(entry.record.status))
        // Oldest first: what `keep` spares is the tail.
        const spare = keep === undefined ? final.length : Math.max(final.length - keep, 0)
        let removed = 0
        final.forEach((entry, i) => {
          const old = createdBefore !== undefined && entry.record.createdAt < createdBefore
          if ((i < spare && keep !== undefined) || old) removed += remove(entry.record.id) ? 1 : 0
        })
        return removed
      },
    },

    jobs: {
      async save(executionId: string, jobs: readonly JobRecord[]): Promise<void> {
        const entry = entries.get(executionId)
        if (!entry) throw new Error(`Execution ${executionId} does not exist`)
        for (const job of jobs) entry.jobs[job.index] = jobText(job)
      },

      async list(executionId: string): Promise<JobRecord[]> {
        const entry = entries.get(executionId)
        return entry ? entry.jobs.filter(Boolean).map((job) => JSON.parse(job) as JobRecord) : []
      },
    },
  }
}
