/**
 * @module
 * Per-workflow concurrency in this process (`options.concurrency`, `options.maxQueued`):
 * at most `concurrency` executions of a workflow run at once, the others wait for a slot;
 * when `maxQueued` executions of it are already waiting to start beyond its free slots (in
 * the queue or for a slot), a new one is refused before it is stored (503 with `Retry-After`). Counts are per
 * process: executions another process accepted, or a previous one left, take slots here but
 * were never counted as waiting.
 *
 * ```ts
 * const reservation = slots.reserve(workflow)   // throws 503 past maxQueued
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
  readonly queue: Array<() => void>
}

export const workflowBusy = (key: string, waiting: number): HookflowError =>
  new HookflowError('workflow_busy', `Workflow "${key}" already has ${waiting} executions waiting; retry later`, {
    status: 503,
    headers: { 'retry-after': '1' },
  })

const NOTHING = (): void => undefined

export class WorkflowSlots {
  readonly #states = new Map<string, SlotState>()

  reserve(workflow: CompiledWorkflow): Reservation {
    const { maxQueued, concurrency } = workflow.definition.options ?? {}
    const state = this.#state(workflow.key)
    if (maxQueued !== undefined) {
      // Free slots take new executions at once; a sync one without a limit never waits, an async one waits for the queue.
      const free = concurrency === undefined ? (workflow.sync ? Infinity : 0) : Math.max(0, concurrency - state.running)
      if (state.waiting >= maxQueued + free) throw workflowBusy(workflow.key, state.waiting)
    }
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
    const state = this.#state(workflow.key)
    const limit = workflow.definition.options?.concurrency
    if (limit === undefined || state.running < limit || abort?.aborted) return this.#take(state, id)
    return new Promise((resolve) => {
      const start = (): void => {
        unsubscribe?.()
        resolve(this.#take(state, id))
      }
      state.queue.push(start)
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
      state = { running: 0, waiting: 0, waitingIds: new Set(), queue: [] }
      this.#states.set(key, state)
    }
    return state
  }
}
