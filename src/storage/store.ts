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

/** What `executions.create` receives: everything but the jobs. */
export type NewExecution = Omit<ExecutionRecord, 'jobs'>

export type CreateResult =
  | { created: true; execution: ExecutionRecord }
  /** The event key was taken: the first execution with it. */
  | { created: false; execution: ExecutionRecord }

export interface ListExecutionsQuery {
  workflowKey?: string
  status?: ExecutionStatus | readonly ExecutionStatus[]
  /** Only executions created at or after this time (epoch ms). */
  since?: number
  /** Newest first; the engine clamps it to 1..1000. */
  limit: number
  /** A page after another: only executions after this one in list order (createdAt, then id, descending). */
  before?: { createdAt: number; id: string }
}

export interface CountExecutionsQuery {
  /** Only executions created at or after this time (epoch ms). */
  since?: number
}

/** How many executions of one workflow have one status. */
export interface ExecutionCount {
  workflowKey: string
  status: ExecutionStatus
  count: number
}

export interface PruneOptions {
  /** Final executions created before this time (epoch ms) are deleted. */
  createdBefore?: number
  /** At most this many final executions are kept, the newest. */
  keep?: number
}

export interface ClaimOptions {
  /** Who claims (a worker id), recorded so an expired claim can be taken over. */
  owner: string
  /** How long the claim holds before another worker may take it over. */
  leaseMs: number
  now: number
}

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

export type ExecutionPatch = Partial<
  Pick<ExecutionRecord, 'status' | 'reason' | 'response' | 'error' | 'startedAt' | 'finishedAt' | 'wakeAt'>
>

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
   * Writes the fields given. Without conditions, an unknown id rejects. With `conditions`,
   * resolves true when it applied, false when a condition refused it (or there was no such
   * execution).
   */
  update(id: string, patch: ExecutionPatch, conditions?: WriteConditions): Promise<boolean | void>
  /**
   * Atomically move a `queued` execution (or a `started` one whose claim expired) to
   * `started`, counting the attempt. Undefined when another worker holds it or it is final,
   * or when it is `queued` with a `wakeAt` later than `now` (parked).
   */
  claim(id: string, options: ClaimOptions): Promise<ExecutionRecord | undefined>
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

export interface Store {
  readonly executions: ExecutionStore
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
  close?(): Promise<void>
  /**
   * Called once by the engine with its reporters: the store's own failures (a pooled connection
   * lost while idle) and its recovery go to the engine's log, one line per outage.
   */
  reportOutages?(outages: Outages): void
}
