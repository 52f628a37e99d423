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
import { type ErrorInfo, type ExecutionRecord, executionRecord, type ExecutionStatus, FINAL_STATUSES, type JobRecord } from '../engine/execution.js'
import { jobText } from './job-text.js'
import { type Slab, type SlabPlace, TextSlab } from './text-slab.js'
import { carriedJson, contextJson, nullableJson } from '../engine/json-text.js'
import type {
  ClaimOptions,
  CountExecutionsQuery,
  CreateResult,
  ExecutionCount,
  ExecutionPatch,
  ListExecutionsQuery,
  NewExecution,
  PruneOptions,
  ReleaseOptions,
  Store,
  WriteConditions,
} from './store.js'

/**
 * How many finished executions the memory store keeps.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'hookflow'
 *
 * const store = createMemoryStore({ maxFinished: 500 })
 * ```
 */
export interface MemoryStoreOptions {
  /** Finished executions kept; the oldest finished ones go first. Default 10,000. */
  maxFinished?: number
}

// What a packed entry holds as its jobs (they are in the slab): one array for all, frozen, since
// every write to jobs unpacks first. One array less per run kept in the history.
const NO_JOBS: string[] = Object.freeze([]) as unknown as string[]

/**
 * One execution as kept: the record's fields, with context, response and jobs as JSON text, as
 * a durable store keeps them. No caller can change a stored record through an object it holds,
 * and what cannot be stored as JSON shows up here the same way it would in SQLite or Postgres.
 * One object of one shape per execution, updated in place: the bounded history holds thousands
 * of these, and every object they are made of is work for the garbage collector.
 */
class Entry implements SlabPlace {
  id: string
  workflowKey: string
  eventKey: string | null
  eventKeyExpiresAt: number | null | undefined
  sync: boolean
  status: ExecutionStatus
  reason: string | null
  /** While it runs: the context as JSON text. */
  context: string
  response: string | null
  error: ErrorInfo | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  attempts: number
  wakeAt: number | null | undefined
  replayOf: string | null | undefined
  /** While it runs: job records as JSON text, by index. */
  jobs: string[] = []
  /** Once finished: where `[context, response, [jobs]]` lies as UTF-8 bytes off the heap, the three fields above emptied. */
  slab: Slab | undefined = undefined
  start = 0
  end = 0
  owner: string | null
  leaseUntil: number
  /** Counted in the bounded history. */
  finished = false
  /** Until its first claim: the context object it was created with (see `LIVE_CONTEXTS`). */
  live: ExecutionRecord['context'] | undefined = undefined

  constructor(execution: NewExecution, claim: ClaimOptions | undefined) {
    this.id = execution.id
    this.workflowKey = execution.workflowKey
    this.eventKey = execution.eventKey
    this.eventKeyExpiresAt = execution.eventKeyExpiresAt
    this.sync = execution.sync
    this.status = execution.status
    this.reason = execution.reason
    this.context = contextJson(execution.context)
    this.response = nullableJson(execution.response)
    this.error = execution.error && { ...execution.error }
    this.createdAt = execution.createdAt
    this.startedAt = execution.startedAt
    this.finishedAt = execution.finishedAt
    this.attempts = execution.attempts
    this.wakeAt = execution.wakeAt
    this.replayOf = execution.replayOf
    this.owner = claim?.owner ?? null
    this.leaseUntil = claim ? claim.now + claim.leaseMs : 0
  }

  /** A fresh copy for a caller. Optional fields come back only when they were set. */
  record(slab: TextSlab, live?: ExecutionRecord['context']): ExecutionRecord {
    let context: ExecutionRecord['context']
    let response: ExecutionRecord['response']
    if (this.slab) [context, response] = JSON.parse(slab.read(this)) as [typeof context, typeof response]
    else {
      context = live ?? (JSON.parse(this.context) as typeof context)
      response = this.response === null ? null : (JSON.parse(this.response) as typeof response)
    }
    return executionRecord(this, context, response, this.error && { ...this.error }, [])
  }

  jobRecords(slab: TextSlab): JobRecord[] {
    if (this.slab) return (JSON.parse(slab.read(this)) as [unknown, unknown, JobRecord[]])[2]
    return this.jobs.filter(Boolean).map((job) => JSON.parse(job) as JobRecord)
  }

  /** Finished: context, response and jobs go off the heap as one text. */
  pack(slab: TextSlab): void {
    if (this.slab) return
    // Concatenated, not joined: the slab writes the whole text in one pass either way.
    let jobs = ''
    for (const job of this.jobs) if (job) jobs = jobs === '' ? job : `${jobs},${job}`
    slab.keep(`[${this.context},${this.response ?? 'null'},[${jobs}]]`, this)
    this.context = ''
    this.response = null
    this.jobs = NO_JOBS
  }

  /** Before a write to what `pack` stored (a finished run saved or retried again). */
  unpack(slab: TextSlab): void {
    if (!this.slab) return
    const [context, response, jobs] = JSON.parse(slab.read(this)) as [unknown, unknown, JobRecord[]]
    slab.release(this)
    this.context = JSON.stringify(context)
    this.response = nullableJson(response)
    this.jobs = []
    for (const job of jobs) this.jobs[job.index] = jobText(job)
  }
}

// Lists and pruning go by creation time (insertion order on a tie), as durable stores do.
// Records arrive in that order nearly always, and a stable sort of sorted input is linear.
function byCreation(entries: Iterable<Entry>): Entry[] {
  return [...entries].sort((a, b) => a.createdAt - b.createdAt)
}

/**
 * Queued executions whose context came with its own JSON text (the webhook core's, which no one
 * else holds and which must not change) keep that object for their first claim, instead of
 * parsing the text back: a tenth of an async delivery's cost. At most this many at once, so a
 * burst of deliveries waiting in the queue costs their texts only.
 */
const LIVE_CONTEXTS = 1024

/** The holder's idempotency window has passed by `now`: its event key may be taken over. */
function keyExpired(entry: Entry, now: number): boolean {
  const expiresAt = entry.eventKeyExpiresAt
  return expiresAt !== undefined && expiresAt !== null && expiresAt <= now
}

/** The conditions of a write hold for this entry (see `WriteConditions`). */
function meets(entry: Entry, { owner, unfinished }: WriteConditions): boolean {
  if (owner !== undefined && (entry.status !== 'started' || entry.owner !== owner)) return false
  return !unfinished || !FINAL_STATUSES.has(entry.status)
}

/** A worker may claim it at `now`: queued and due, or started with an expired claim. */
function claimable(entry: Entry, now: number): boolean {
  if (entry.status === 'queued') return (entry.wakeAt ?? 0) <= now
  return entry.status === 'started' && entry.leaseUntil <= now
}

/**
 * The default store: executions and jobs in this process's memory, lost on exit, the oldest finished ones dropped past `maxFinished`.
 *
 * @example
 * ```ts
 * import { createEngine, createMemoryStore } from 'hookflow'
 *
 * const engine = createEngine({ store: createMemoryStore({ maxFinished: 1000 }) })
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const maxFinished = options.maxFinished ?? 10_000
  if (!Number.isInteger(maxFinished) || maxFinished < 0) {
    throw new TypeError(`maxFinished must be a non-negative integer, got ${String(options.maxFinished)}`)
  }
  const entries = new Map<string, Entry>()
  const slab = new TextSlab()
  const byEventKey = new Map<string, string>()
  // Finished ids in finishing order, oldest at `head`: an array queue, since evicting the
  // oldest must stay O(1) at 10,000 entries and thousands of finishes per second.
  let order: string[] = []
  let head = 0
  let finishedCount = 0

  let liveCount = 0
  const takeLive = (entry: Entry): ExecutionRecord['context'] | undefined => {
    const live = entry.live
    if (live !== undefined) {
      entry.live = undefined
      liveCount--
    }
    return live
  }

  const claimEntry = (entry: Entry, { owner, leaseMs, now }: ClaimOptions): ExecutionRecord => {
    entry.owner = owner
    entry.leaseUntil = now + leaseMs
    entry.status = 'started'
    entry.startedAt ??= now
    entry.attempts++
    return entry.record(slab, takeLive(entry))
  }

  const remove = (id: string): boolean => {
    const entry = entries.get(id)
    if (!entry) return false
    takeLive(entry)
    slab.release(entry)
    entries.delete(id)
    if (entry.finished) finishedCount--
    if (entry.eventKey !== null) byEventKey.delete(entry.eventKey)
    return true
  }

  const markFinished = (id: string, entry: Entry): void => {
    takeLive(entry)
    if (entry.finished) return entry.pack(slab)
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
    // Packed once it is sure to stay (with maxFinished 0 it never does).
    if (entries.get(id) === entry) entry.pack(slab)
  }

  // A patch on an entry (an update, a finish); a final status puts it in the bounded history.
  const applyPatch = (id: string, entry: Entry, patch: ExecutionPatch): boolean => {
    if (patch.response !== undefined) entry.unpack(slab)
    if (patch.status !== undefined) entry.status = patch.status
    if (patch.reason !== undefined) entry.reason = patch.reason
    if (patch.response !== undefined) entry.response = nullableJson(patch.response)
    if (patch.error !== undefined) entry.error = patch.error && { ...patch.error }
    if (patch.startedAt !== undefined) entry.startedAt = patch.startedAt
    if (patch.finishedAt !== undefined) entry.finishedAt = patch.finishedAt
    if (patch.wakeAt !== undefined) entry.wakeAt = patch.wakeAt
    if (FINAL_STATUSES.has(entry.status)) markFinished(id, entry)
    else if (entry.finished) {
      // Back to work (a retry): out of the bounded history until it finishes again.
      entry.unpack(slab)
      entry.finished = false
      finishedCount--
    }
    return true
  }

  return {
    executions: {
      async create(execution: NewExecution, claim?: ClaimOptions): Promise<CreateResult> {
        if (execution.eventKey !== null) {
          const existing = byEventKey.get(execution.eventKey)
          const entry = existing === undefined ? undefined : entries.get(existing)
          if (entry && !keyExpired(entry, execution.createdAt)) return { created: false, execution: entry.record(slab) }
          if (entries.has(execution.id)) throw new Error(`Execution ${execution.id} already exists`)
          // An expired holder gives its key up and stays otherwise as it was.
          if (entry) entry.eventKey = null
        }
        if (entries.has(execution.id)) throw new Error(`Execution ${execution.id} already exists`)
        const entry = new Entry(execution, claim)
        entries.set(entry.id, entry)
        if (entry.status === 'queued' && liveCount < LIVE_CONTEXTS && carriedJson(execution.context) !== undefined) {
          entry.live = execution.context
          liveCount++
        }
        if (entry.eventKey !== null) byEventKey.set(entry.eventKey, entry.id)
        if (FINAL_STATUSES.has(entry.status)) markFinished(entry.id, entry)
        // The caller's own data back (field by field: see executionRecord), so creating costs no parse.
        return { created: true, execution: executionRecord(execution, execution.context, execution.response, execution.error, []) }
      },

      async get(id: string): Promise<ExecutionRecord | undefined> {
        return entries.get(id)?.record(slab)
      },

      async finish(id: string, patch: ExecutionPatch, jobs: readonly JobRecord[], conditions: Required<Pick<WriteConditions, 'owner'>>): Promise<boolean> {
        const entry = entries.get(id)
        if (!(entry && meets(entry, conditions))) return false
        entry.unpack(slab)
        for (const job of jobs) entry.jobs[job.index] = jobText(job)
        return applyPatch(id, entry, patch)
      },

      async update(id: string, patch: ExecutionPatch, conditions?: WriteConditions): Promise<boolean> {
        const entry = entries.get(id)
        if (conditions && !(entry && meets(entry, conditions))) return false
        if (!entry) throw new Error(`Execution ${id} does not exist`)
        return applyPatch(id, entry, patch)
      },

      async claim(id: string, options: ClaimOptions): Promise<ExecutionRecord | undefined> {
        const entry = entries.get(id)
        return entry && claimable(entry, options.now) ? claimEntry(entry, options) : undefined
      },

      async claimNext({ limit, ...options }: ClaimOptions & { limit: number }): Promise<ExecutionRecord[]> {
        const claimed: ExecutionRecord[] = []
        for (const entry of entries.values()) {
          if (claimed.length >= limit) break
          if (claimable(entry, options.now)) claimed.push(claimEntry(entry, options))
        }
        return claimed
      },

      async renew(id: string, { owner, leaseMs, now }: ClaimOptions): Promise<boolean> {
        const entry = entries.get(id)
        if (!entry || entry.owner !== owner || entry.status !== 'started') return false
        entry.leaseUntil = now + leaseMs
        return true
      },

      async release(id: string, { owner, wakeAt }: ReleaseOptions): Promise<boolean> {
        const entry = entries.get(id)
        if (!entry || entry.owner !== owner || entry.status !== 'started') return false
        entry.status = 'queued'
        entry.owner = null
        entry.leaseUntil = 0
        entry.wakeAt = wakeAt ?? null
        return true
      },

      async claimOwners({ now }: { now: number }): Promise<string[]> {
        const owners = new Set<string>()
        for (const entry of entries.values()) {
          if (entry.status === 'started' && entry.owner !== null && entry.leaseUntil > now) owners.add(entry.owner)
        }
        return [...owners]
      },

      async releaseOwner(owner: string): Promise<string[]> {
        const ids: string[] = []
        for (const [id, entry] of entries) {
          if (entry.status !== 'started' || entry.owner !== owner) continue
          entry.status = 'queued'
          entry.owner = null
          entry.leaseUntil = 0
          entry.wakeAt = null
          ids.push(id)
        }
        return ids
      },

      async claimable({ now, limit }: { now: number; limit: number }): Promise<string[]> {
        const ids: string[] = []
        for (const [id, entry] of entries) {
          if (ids.length >= limit) break
          if (claimable(entry, now)) ids.push(id)
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
          const at = all.findIndex((entry) => entry.id === before.id)
          start = at >= 0 ? at - 1 : all.findLastIndex((entry) => entry.createdAt < before.createdAt)
        }
        for (let i = start; i >= 0 && out.length < query.limit; i--) {
          const entry = all[i]!
          if (query.workflowKey !== undefined && entry.workflowKey !== query.workflowKey) continue
          if (statuses && !statuses.has(entry.status)) continue
          if (query.since !== undefined && entry.createdAt < query.since) continue
          out.push(entry.record(slab))
        }
        return out
      },

      async count({ since }: CountExecutionsQuery): Promise<ExecutionCount[]> {
        const counts = new Map<string, ExecutionCount>()
        for (const { workflowKey, status, createdAt } of entries.values()) {
          if (since !== undefined && createdAt < since) continue
          const pair = `${status} ${workflowKey}`
          const found = counts.get(pair)
          if (found) found.count++
          else counts.set(pair, { workflowKey, status, count: 1 })
        }
        return [...counts.values()]
      },

      async delete(id: string): Promise<boolean> {
        return remove(id)
      },

      async prune({ createdBefore, keep }: PruneOptions): Promise<number> {
        const final = byCreation(entries.values()).filter((entry) => FINAL_STATUSES.has(entry.status))
        // Oldest first: what `keep` spares is the tail.
        const spare = keep === undefined ? final.length : Math.max(final.length - keep, 0)
        let removed = 0
        final.forEach((entry, i) => {
          const old = createdBefore !== undefined && entry.createdAt < createdBefore
          if ((i < spare && keep !== undefined) || old) removed += remove(entry.id) ? 1 : 0
        })
        return removed
      },
    },

    jobs: {
      async save(executionId: string, jobs: readonly JobRecord[], conditions?: Pick<WriteConditions, 'owner'>): Promise<boolean> {
        const entry = entries.get(executionId)
        if (conditions && !(entry && meets(entry, conditions))) return false
        if (!entry) throw new Error(`Execution ${executionId} does not exist`)
        entry.unpack(slab)
        for (const job of jobs) entry.jobs[job.index] = jobText(job)
        if (entry.finished) entry.pack(slab)
        return true
      },

      async list(executionId: string): Promise<JobRecord[]> {
        const entry = entries.get(executionId)
        return entry ? entry.jobRecords(slab) : []
      },
    },
  }
}
