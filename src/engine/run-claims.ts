/**
 * @module
 * The claims an engine holds on the executions running in it: one heartbeat renews them all,
 * a claim found lost (another worker took the execution over) stops its run, and a claim is
 * given back (`release`) when its run cannot go on here: the store failed under it, or the
 * engine is closing. A release the store cannot take now is tried again by the next sweep;
 * until then the lease still runs out by itself.
 */
import type { ExecutionStore } from '../storage/store.js'
import type { LazyAbort } from './lazy-abort.js'
import { LONGEST_TIMER } from './long-timeout.js'
import type { EngineLog } from './logging/engine-log.js'
import { StorageUnavailableError } from './storage-unavailable-error.js'

/** Why a run stopped without an outcome to store: another attempt will resume it. */
export class RunAbandoned extends Error {
  constructor(
    readonly why: 'store-failed' | 'claim-lost' | 'closing',
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'RunAbandoned'
  }
}

/** One execution running here. */
export class HeldRun {
  abandoned: RunAbandoned | undefined
  #over = false
  // Made only when someone waits (a cancel): most runs end with no one asking.
  #waiting: Array<() => void> | undefined

  constructor(
    readonly id: string,
    readonly abort: LazyAbort,
  ) {}

  /** Stops the run (its nodes' signal fires); nothing of it is stored any more. */
  abandon(reason: RunAbandoned): void {
    this.abandoned ??= reason
    this.abort.abort(reason)
  }

  /** The run is over here: its end stored, refused, or given back. */
  over(): void {
    this.#over = true
    const waiting = this.#waiting
    this.#waiting = undefined
    for (const resolve of waiting ?? []) resolve()
  }

  /** Resolves once `over()` was called. */
  whenOver(): Promise<void> {
    if (this.#over) return Promise.resolve()
    return new Promise((resolve) => (this.#waiting ??= []).push(resolve))
  }
}

export interface ClaimsHost {
  readonly log: EngineLog
  error(error: Error): void
}

export class RunClaims {
  readonly #held = new Map<string, HeldRun>()
  /** Releases the store could not take yet: id to the wake time asked for. */
  readonly #unreleased = new Map<string, number | undefined>()
  #heartbeat: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly executions: ExecutionStore,
    readonly owner: string,
    readonly leaseMs: number,
    private readonly host: ClaimsHost,
  ) {}

  get size(): number {
    return this.#held.size
  }

  get(id: string): HeldRun | undefined {
    return this.#held.get(id)
  }

  /** Marks an execution as running here and keeps its claim alive until `drop`. */
  hold(id: string, abort: LazyAbort): HeldRun {
    const run = new HeldRun(id, abort)
    this.#held.set(id, run)
    // One heartbeat renews every execution running here: a timer per execution (setInterval
    // plus clearInterval) cost more than the rest of an execution's bookkeeping.
    this.#heartbeat ??= this.#beat()
    return run
  }

  drop(run: HeldRun): void {
    if (this.#held.get(run.id) === run) this.#held.delete(run.id)
  }

  /**
   * Gives the claim back (to be claimed again at `wakeAt`, or at once); when the store cannot
   * take it now, the next `retryReleases` tries again.
   */
  async release(id: string, wakeAt?: number): Promise<boolean> {
    // A store without `release`: the claim runs out with its lease.
    if (!this.executions.release) return false
    try {
      await this.executions.release(id, wakeAt === undefined ? { owner: this.owner } : { owner: this.owner, wakeAt })
      this.#unreleased.delete(id)
      return true
    } catch (error) {
      this.#unreleased.set(id, wakeAt)
      this.host.error(new StorageUnavailableError(`The claim on execution ${id} could not be given back; trying again`, error))
      return false
    }
  }

  /** Tries again the releases the store could not take. */
  async retryReleases(): Promise<void> {
    for (const [id, wakeAt] of [...this.#unreleased]) {
      if (!(await this.release(id, wakeAt))) return
    }
  }

  /** Stops every run held here (closing); resolves once their claims are given back, or could not be. */
  async abandonAll(): Promise<number> {
    const runs = [...this.#held.values()]
    for (const run of runs) {
      run.abandon(new RunAbandoned('closing', `The engine closed while execution ${run.id} ran; another attempt resumes it`))
      this.drop(run)
    }
    const ids = [...runs.map((run) => run.id), ...this.#unreleased.keys()]
    const released = await Promise.all(ids.map((id) => this.release(id, this.#unreleased.get(id))))
    const count = released.filter(Boolean).length
    if (count > 0) this.host.log.claimsReleased({ owner: this.owner, executions: count, why: 'closing' })
    return count
  }

  /** Every `leaseMs / 3`, renews the claim of each execution held; stops once none is. */
  #beat(): ReturnType<typeof setInterval> {
    const heartbeat = setInterval(() => {
      if (this.#held.size === 0) {
        clearInterval(heartbeat)
        this.#heartbeat = undefined
        return
      }
      const claim = { owner: this.owner, leaseMs: this.leaseMs, now: Date.now() }
      for (const run of this.#held.values()) {
        this.executions.renew(run.id, claim).then(
          (held) => {
            this.host.log.available('store')
            // Taken over (this process was cut off longer than the lease): the other run goes on.
            if (!held && this.#held.get(run.id) === run) {
              run.abandon(new RunAbandoned('claim-lost', `The claim on execution ${run.id} was lost; another worker runs it`))
              this.drop(run)
            }
          },
          (error: unknown) => this.host.error(new StorageUnavailableError(`The claim on ${run.id} could not be renewed`, error)),
        )
      }
    }, Math.min(Math.max(Math.floor(this.leaseMs / 3), 1), LONGEST_TIMER))
    heartbeat.unref?.()
    return heartbeat
  }
}
