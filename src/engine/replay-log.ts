/**
 * @module
 * The jobs of an earlier attempt of an execution (after a crash, a retry, a delay's wake),
 * looked up as the run walks the same path again. A job is found by its node key and how many
 * times that node ran before it in this execution: a node never runs concurrently with itself
 * (loop passes are sequential; parallel branches hold different nodes), so that count is the
 * same on every attempt, whatever order concurrent branches finished in.
 */
import type { JobRecord } from './execution.js'

export class ReplayLog {
  readonly #byKey = new Map<string, JobRecord[]>()
  readonly #seen = new Map<string, number>()
  /** Indexes the earlier jobs hold: new jobs take others, so nothing kept is overwritten. */
  readonly taken = new Set<number>()

  constructor(jobs: readonly JobRecord[]) {
    for (const job of [...jobs].sort((a, b) => a.index - b.index)) {
      let list = this.#byKey.get(job.nodeKey)
      if (!list) this.#byKey.set(job.nodeKey, (list = []))
      list.push(job)
      this.taken.add(job.index)
    }
  }

  /** The earlier job of this node's next run, if there was one. */
  next(nodeKey: string): JobRecord | undefined {
    const seen = this.#seen.get(nodeKey) ?? 0
    this.#seen.set(nodeKey, seen + 1)
    return this.#byKey.get(nodeKey)?.[seen]
  }

  /**
   * The earlier jobs of `keys` recorded before `index`, consumed, in index order: what the
   * branches of a node that ran them inline (a loop, a parallel) recorded before it finished.
   */
  drain(keys: ReadonlySet<string>, index: number): JobRecord[] {
    const out: JobRecord[] = []
    for (const key of keys) {
      const list = this.#byKey.get(key)
      let seen = this.#seen.get(key) ?? 0
      while (list && seen < list.length && list[seen]!.index < index) out.push(list[seen++]!)
      this.#seen.set(key, seen)
    }
    return out.sort((a, b) => a.index - b.index)
  }
}
