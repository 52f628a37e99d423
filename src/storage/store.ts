/**
 * @module
 * The storage interface every store adapter implements (memory, SQLite, Postgres).
 * Small, resource-grouped and Promise-based; records are plain JSON. A store never
 * imports the engine: it holds records, and the engine decides what they mean.
 *
 * Every adapter must pass the same conformance suite.
 */
import type { ExecutionRecord, ExecutionStatus, JobRecord } from '../engine/execution.js'
import type { Outages, Queue } from '../queue/queue.js'

/**
 * What `executions.create` receives: everything but the jobs.
 *
 * @example
 * ```ts
 * import type { NewExecution } from 'hookflow'
 *
 * const execution: NewExecution = {
 *   id: 'ex-1', workflowKey: 'orders', eventKey: null, sync: false, status: 'queued', reason: null,
 *   context: { headers: {}, query: {}, body: { id: 7 }, params: {} }, response: null, error: null,
 *   createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0,
 * }
 * ```
 */
export type NewExecution = Omit<ExecutionRecord, 'jobs'>

/**
 * What `executions.create` resolves with: the new execution, or the one that already holds its event key.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type CreateResult, type NewExecution } from 'hookflow'
 *
 * declare const execution: NewExecution
 * const result: CreateResult = await createMemoryStore().executions.create(execution)
 * if (!result.created) console.log('duplicate of', result.execution.id)
 * ```
 */
export type CreateResult =
  | { created: true; execution: ExecutionRecord }
  /** The event key was taken: the first execution with it. */
  | { created: false; execution: ExecutionRecord }

/**
 * What `executions.list` selects: a workflow, statuses, a start time, a page size and the page's start.
 *
 * @example
 * ```ts
 * import type { ListExecutionsQuery } from 'hookflow'
 *
 * const failedToday: ListExecutionsQuery = { status: ['failed', 'error'], since: Date.now() - 86_400_000, limit: 50 }
 * ```
 */
export interface ListExecutionsQuery {
  /** Only this workflow's executions. */
  workflowKey?: string
  /** Only executions with this status (or one of these). */
  status?: ExecutionStatus | readonly ExecutionStatus[]
  /** Only executions created at or after this time (epoch ms). */
  since?: number
  /** Newest first; the engine clamps it to 1..1000. */
  limit: number
  /** A page after another: only executions after this one in list order (createdAt, then id, descending). */
  before?: { createdAt: number; id: string }
}

/**
 * What `executions.count` counts: executions created since a time, or all of them.
 *
 * @example
 * ```ts
 * import type { CountExecutionsQuery } from 'hookflow'
 *
 * const lastHour: CountExecutionsQuery = { since: Date.now() - 3_600_000 }
 * ```
 */
export interface CountExecutionsQuery {
  /** Only executions created at or after this time (epoch ms). */
  since?: number
}

/**
 * How many executions of one workflow have one status.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type ExecutionCount } from 'hookflow'
 *
 * const counts: ExecutionCount[] = (await createMemoryStore().executions.count?.({})) ?? []
 * for (const { workflowKey, status, count } of counts) console.log(workflowKey, status, count)
 * ```
 */
export interface ExecutionCount {
  /** The workflow. */
  workflowKey: string
  /** The status. */
  status: ExecutionStatus
  /** How many executions of the workflow have it. */
  count: number
}

/**
 * Which final executions `executions.prune` deletes: those older than a time, beyond a count, or both.
 *
 * @example
 * ```ts
 * import type { PruneOptions } from 'hookflow'
 *
 * const keepAWeek: PruneOptions = { createdBefore: Date.now() - 7 * 86_400_000, keep: 10_000 }
 * ```
 */
export interface PruneOptions {
  /** Final executions created before this time (epoch ms) are deleted. */
  createdBefore?: number
  /** At most this many final executions are kept, the newest. */
  keep?: number
}

/**
 * Who claims an execution, for how long, and the time of the claim (epoch ms).
 *
 * @example
 * ```ts
 * import type { ClaimOptions } from 'hookflow'
 *
 * const claim: ClaimOptions = { owner: 'worker-1', leaseMs: 30_000, now: Date.now() }
 * ```
 */
export interface ClaimOptions {
  /** Who claims (a worker id), recorded so an expired claim can be taken over. */
  owner: string
  /** How long the claim holds before another worker may take it over. */
  leaseMs: number
  /** The time of the claim (epoch ms). */
  now: number
}

/**
 * Whose claim `executions.release` gives back, and when the execution may be claimed again.
 *
 * @example
 * ```ts
 * import type { ReleaseOptions } from 'hookflow'
 *
 * const backOff: ReleaseOptions = { owner: 'worker-1', wakeAt: Date.now() + 5_000 }
 * ```
 */
export interface ReleaseOptions {
  /** The claim's owner: a claim someone else holds is left alone. */
  owner: string
  /** Claimable again no earlier than this (epoch ms): a backoff after a failure. Default: at once. */
  wakeAt?: number
}

/**
 * Conditions on a write. A store written before them may ignore them and resolve `void`: the
 * engine then takes the write as applied, and a worker whose claim was taken over (or a run
 * canceled from another process) can overwrite what the new owner or the cancel stored.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'hookflow'
 *
 * const { executions } = createMemoryStore()
 * // Stored only while worker-1 still holds the claim; false once another worker took it over.
 * const applied = await executions.update('ex-1', { status: 'resolved', finishedAt: Date.now() }, { owner: 'worker-1' })
 * ```
 */
export interface WriteConditions {
  /**
   * Applies only while this owner holds the claim: the execution is `started` and claimed by
   * it (lease expired or not, as long as no one took it over). A running execution's writes
   * (its jobs, its park, its end) carry it, so a worker that lost the claim changes nothing.
   */
  owner?: string
  /** Applies only while the execution is not final (`queued` or `started`): how a cancel is stored. */
  unfinished?: boolean
}

/**
 * The fields of an execution `executions.update` may change.
 *
 * @example
 * ```ts
 * import type { ExecutionPatch } from 'hookflow'
 *
 * const finished: ExecutionPatch = { status: 'resolved', finishedAt: Date.now() }
 * ```
 */
export type ExecutionPatch = Partial<
  Pick<ExecutionRecord, 'status' | 'reason' | 'response' | 'error' | 'startedAt' | 'finishedAt' | 'wakeAt'>
>

/**
 * The executions half of a store: create with event-key deduplication, claims for workers, queries and pruning.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'hookflow'
 *
 * const { executions } = createMemoryStore()
 * const recent = await executions.list({ workflowKey: 'orders', limit: 20 })
 * const first = recent[0] && (await executions.get(recent[0].id))
 * ```
 */
export interface ExecutionStore {
  /**
   * Atomic: with an `eventKey` already stored, nothing is written and the first one is returned,
   * unless that holder's `eventKeyExpiresAt` is set and `<= execution.createdAt`: then the
   * holder's `eventKey` is cleared and the new execution is created with it.
   * With `claim`, the record is stored already claimed by that owner (a sync run starts at once).
   */
  create(execution: NewExecution, claim?: ClaimOptions): Promise<CreateResult>
  /** Without jobs (`jobs: []`). */
  get(id: string): Promise<ExecutionRecord | undefined>
  /**
   * Changes some fields of an execution (status, times, answer, error). Without conditions, an unknown id rejects. With `conditions`,
   * resolves true when it applied, false when a condition refused it (or there was no such
   * execution).
   */
  update(id: string, patch: ExecutionPatch, conditions?: WriteConditions): Promise<boolean | void>
  /**
   * A run's last write in one: saves its last jobs (as `jobs.save`) and applies the patch (its
   * end, or its park), both only while `conditions.owner` holds the claim. Resolves true when
   * both applied, false when the claim was lost (or there was no such execution): then neither
   * was stored. The patch sets at least one field. Optional, for stores written before it: the
   * engine then saves the jobs and updates the execution one after the other.
   */
  finish?(id: string, patch: ExecutionPatch, jobs: readonly JobRecord[], conditions: Required<Pick<WriteConditions, 'owner'>>): Promise<boolean>
  /**
   * Atomically move a `queued` execution (or a `started` one whose claim expired) to
   * `started`, counting the attempt. Undefined when another worker holds it or it is final,
   * or when it is `queued` with a `wakeAt` later than `now` (parked).
   */
  claim(id: string, options: ClaimOptions): Promise<ExecutionRecord | undefined>
  /**
   * Claims up to `limit` of the executions `claimable` would list, oldest first, as `claim`
   * claims one, in one atomic step: what two workers call at once is claimed by one of them.
   * Resolves with the claimed records (fewer, or none, when there are fewer to claim). Optional:
   * a polling queue uses it to find and claim work in one round trip, and otherwise lists
   * `claimable` ids and claims each.
   */
  claimNext?(options: ClaimOptions & { limit: number }): Promise<ExecutionRecord[]>
  /** Extends a claim its owner still holds; false when the claim was lost or the run is final. */
  renew(id: string, options: ClaimOptions): Promise<boolean>
  /**
   * Gives a claim back before its lease ends (the owner is closing, or could not go on): a
   * `started` execution its owner still holds goes back to `queued` (due at `wakeAt`, else at
   * once), to be claimed again and resumed after its last saved job. False when that owner no
   * longer holds it. Optional, as are the next two, for stores written before them; without
   * them a dead or closing worker's executions wait for their lease to expire.
   */
  release?(id: string, options: ReleaseOptions): Promise<boolean>
  /** The owners of claims still held at `now` (`started`, lease not expired), each once. */
  claimOwners?(options: { now: number }): Promise<string[]>
  /** Releases every claim this owner holds (a process known dead); resolves with their ids. */
  releaseOwner?(owner: string): Promise<string[]>
  /** Ids a worker may claim now, oldest first: `queued` and due (`wakeAt` null or <= now), or `started` with an expired claim. */
  claimable(options: { now: number; limit: number }): Promise<string[]>
  /** Newest first, without jobs. */
  list(query: ListExecutionsQuery): Promise<ExecutionRecord[]>
  /**
   * Executions by workflow and status (one entry per pair that has any), in any order.
   * Optional: what shows counts (the inspector) shows none for a store without it.
   */
  count?(query: CountExecutionsQuery): Promise<ExecutionCount[]>
  /** Removes the execution and its jobs; false when there was none. */
  delete(id: string): Promise<boolean>
  /** Deletes final executions (with their jobs) by age and count; returns how many went. */
  prune(options: PruneOptions): Promise<number>
}

/**
 * The jobs half of a store: the record of each node run, saved in batches and listed in order.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'hookflow'
 *
 * const { jobs } = createMemoryStore()
 * for (const job of await jobs.list('ex-1')) console.log(job.index, job.nodeKey, job.status)
 * ```
 */
export interface JobStore {
  /**
   * Insert or replace (by execution and `index`) a batch of jobs in one write. Without
   * conditions, an unknown execution rejects; with `conditions.owner`, resolves false and writes
   * nothing when that owner no longer holds the claim (see `WriteConditions`), else true.
   */
  save(executionId: string, jobs: readonly JobRecord[], conditions?: Pick<WriteConditions, 'owner'>): Promise<boolean | void>
  /** Ordered by `index`. */
  list(executionId: string): Promise<JobRecord[]>
}

/**
 * What an engine keeps executions and jobs in; `createMemoryStore`, `createSqliteStore` and `createPostgresStore` make one.
 *
 * @example
 * ```ts
 * import { createEngine, createMemoryStore, type Store } from 'hookflow'
 *
 * const store: Store = createMemoryStore({ maxFinished: 1000 })
 * const engine = createEngine({ store })
 * ```
 */
export interface Store {
  /** Execution records. */
  readonly executions: ExecutionStore
  /** Job records, by execution. */
  readonly jobs: JobStore
  /**
   * True for stores that survive a restart: the engine then saves each job as its node
   * finishes, so a resumed execution continues after the last resolved job.
   */
  readonly durable?: boolean
  /**
   * A durable queue on the same database (SQLite, Postgres): `createEngine` uses it when no
   * queue is given, so that what the store accepted is also what runs after a restart.
   */
  createQueue?(options: { concurrency?: number; onError?: (error: Error) => void }): Queue
  /** Closes the store's connections; the engine calls it from `close()`. */
  close?(): Promise<void>
  /**
   * Called once by the engine with its reporters: the store's own failures (a pooled connection
   * lost while idle) and its recovery go to the engine's log, one line per outage.
   */
  reportOutages?(outages: Outages): void
}
