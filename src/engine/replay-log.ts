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
   * The earlier jobs a node that ran branches inline (a loop, a parallel) recorded inside them,
   * consumed: `counts` (kept on its job) says how many of each node key, in index order.
   */
  drain(counts: Readonly<Record<string, number>>): JobRecord[] {
    const out: JobRecord[] = []
    for (const [key, count] of Object.entries(counts)) {
      const list = this.#byKey.get(key) ?? []
      const seen = this.#seen.get(key) ?? 0
      out.push(...list.slice(seen, seen + count))
      this.#seen.set(key, seen + count)
    }
    return out.sort((a, b) => a.index - b.index)
  }
}
