/**
 * @module
 * Per-workflow concurrency in this process (`options.concurrency`, `options.maxQueued`):
 * at most `concurrency` executions of a workflow run at once, the others wait for a slot;
 * when `maxQueued` executions of it are already waiting to start beyond its free slots (in
 * the queue or for a slot), a new one is refused before it is stored (503 with `Retry-After`).
 * Counts are per process: executions another process accepted, or a previous one left, take
 * slots here but were never counted as waiting; executions accepted here that another process
 * ran (a shared queue) are forgotten when the store no longer shows them queued, checked
 * before refusing, at most once a second.
 *
 * ```ts
 * const reservation = await slots.reserve(workflow)   // throws 503 past maxQueued
 * reservation.bind(execution.id)                // or reservation.cancel() if it was not stored
 * const release = await slots.enter(workflow, execution.id, abort)
 * try { await run() } finally { release() }
 * ```
 */
import { HookflowError } from '../errors/hookflow-error.js'
import type { CompiledWorkflow } from './compile-workflow.js'
import type { LazyAbort } from './lazy-abort.js'

export interface Reservation {
  /** The execution was stored: it waits (as `id`) until it enters. */
  bind(id: string): void
  /** It was not stored or not queued (a failure, a duplicate): give the place back. */
  cancel(): void
}

interface SlotState {
  running: number
  /** Stored (or being stored) and not yet started. */
  waiting: number
  readonly waitingIds: Set<string>
  /** Waiting ids that are here, waiting for a slot (stored as started, yet still waiting). */
  readonly blocked: Set<string>
  readonly queue: Array<() => void>
  /** When the waiting ids were last checked against the store. */
  verifiedAt: number
}

export const workflowBusy = (key: string, waiting: number): HookflowError =>
  new HookflowError('workflow_busy', `Workflow "${key}" already has ${waiting} executions waiting; retry later`, {
    status: 503,
    headers: { 'retry-after': '1' },
  })

const NOTHING = (): void => undefined
/** A workflow without `maxQueued` counts nothing waiting; nor one without `concurrency` anything running. */
const UNCOUNTED: Reservation = { bind: NOTHING, cancel: NOTHING }

/** The stored status of an execution, to forget waiting ones that started or ended elsewhere. */
export type StatusLookup = (id: string) => Promise<string | undefined>

/** How often, at most, a full workflow's waiting ids are checked against the store. */
const VERIFY_INTERVAL = 1_000

export class WorkflowSlots {
  readonly #states = new Map<string, SlotState>()

  constructor(private readonly lookup?: StatusLookup) {}

  /** A place among the workflow's waiting executions; throws 503 `workflow_busy` past `maxQueued`. */
  reserve(workflow: CompiledWorkflow): Reservation | Promise<Reservation> {
    if (workflow.definition.options?.maxQueued === undefined) return UNCOUNTED
    const state = this.#state(workflow.key)
    if (!this.#full(workflow, state)) return this.#open(state)
    // An async execution accepted here may have been run by another process sharing the queue:
    // before refusing, forget the ones the store no longer shows as queued (at most once a second).
    const now = Date.now()
    if (workflow.sync || !this.lookup || now - state.verifiedAt < VERIFY_INTERVAL) throw workflowBusy(workflow.key, state.waiting)
    state.verifiedAt = now
    return this.#verify(state).then(() => {
      if (this.#full(workflow, state)) throw workflowBusy(workflow.key, state.waiting)
      return this.#open(state)
    })
  }

  /** Forgets an execution that will not start here (its claim failed, its workflow is gone). */
  forget(id: string): void {
    for (const state of this.#states.values()) if (state.waitingIds.delete(id)) state.waiting--
  }

  #full(workflow: CompiledWorkflow, state: SlotState): boolean {
    const { maxQueued, concurrency } = workflow.definition.options ?? {}
    if (maxQueued === undefined) return false
    // Free slots take new executions at once; a sync one without a limit never waits, an async one waits for the queue.
    const free = concurrency === undefined ? (workflow.sync ? Infinity : 0) : Math.max(0, concurrency - state.running)
    return state.waiting >= maxQueued + free
  }

  async #verify(state: SlotState): Promise<void> {
    const ids = [...state.waitingIds].filter((id) => !state.blocked.has(id))
    const statuses = await Promise.all(ids.map((id) => this.lookup!(id).catch(() => 'queued')))
    ids.forEach((id, i) => {
      if (statuses[i] !== 'queued' && state.waitingIds.delete(id)) state.waiting--
    })
  }

  #open(state: SlotState): Reservation {
    state.waiting++
    let open = true
    let bound: string | undefined
    return {
      bind: (id) => {
        if (open) state.waitingIds.add((bound = id))
        open = false
      },
      cancel: () => {
        if (open || (bound !== undefined && state.waitingIds.delete(bound))) state.waiting--
        open = false
        bound = undefined
      },
    }
  }

  /**
   * A slot's release, at once when one is free, else a promise of it (so a caller can tell
   * whether it has to wait). An abort while waiting enters at once: the run then stops.
   */
  enter(workflow: CompiledWorkflow, id: string, abort?: LazyAbort): (() => void) | Promise<() => void> {
    const options = workflow.definition.options
    if (options?.concurrency === undefined && options?.maxQueued === undefined) {
      // Nothing to count, unless it was reserved under an earlier registration that counted it.
      const earlier = this.#states.get(workflow.key)
      if (earlier && earlier.waiting > 0 && earlier.waitingIds.delete(id)) earlier.waiting--
      return NOTHING
    }
    const state = this.#state(workflow.key)
    const limit = options?.concurrency
    if (limit === undefined || state.running < limit || abort?.aborted) return this.#take(state, id)
    return new Promise((resolve) => {
      const start = (): void => {
        unsubscribe?.()
        resolve(this.#take(state, id))
      }
      state.queue.push(start)
      state.blocked.add(id)
      const unsubscribe = abort?.onAbort(() => {
        const index = state.queue.indexOf(start)
        if (index < 0) return
        state.queue.splice(index, 1)
        resolve(this.#take(state, id))
      })
    })
  }

  // Started: no longer waiting.
  #take(state: SlotState, id: string): () => void {
    state.blocked.delete(id)
    if (state.waitingIds.delete(id)) state.waiting--
    state.running++
    let released = false
    return () => {
      if (released) return
      released = true
      state.running--
      const next = state.queue.shift()
      // Handed over inside the release: nothing can take the slot in between.
      if (next) next()
    }
  }

  #state(key: string): SlotState {
    let state = this.#states.get(key)
    if (!state) {
      state = { running: 0, waiting: 0, waitingIds: new Set(), blocked: new Set(), queue: [], verifiedAt: 0 }
      this.#states.set(key, state)
    }
    return state
  }
}
