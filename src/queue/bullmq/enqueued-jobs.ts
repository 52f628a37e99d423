/**
 * The jobs this process enqueued that may still wait or run somewhere: what `idle()` waits
 * for. A job BullMQ no longer holds (completed and removed, or failed for good) is done; the
 * set is pruned against Redis so a receiver that never calls `idle()` does not grow it forever.
 */
import type { Queue as BullQueue } from 'bullmq'

const PRUNE_ABOVE = 10_000
const CHUNK = 500

export class EnqueuedJobs {
  readonly #ids = new Set<string>()
  #pruning: Promise<void> | undefined
  // Grows with a backlog the workers have not caught up with, so pruning does not run non-stop.
  #pruneAbove = PRUNE_ABOVE

  constructor(
    private readonly queue: BullQueue,
    private readonly report: (error: Error) => void,
  ) {}

  get size(): number {
    return this.#ids.size
  }

  add(jobId: string): void {
    this.#ids.add(jobId)
    if (this.#ids.size > this.#pruneAbove && !this.#pruning) {
      this.prune().catch((error: unknown) => this.report(new Error('Could not check which enqueued jobs are done', { cause: error })))
    }
  }

  delete(jobId: string): void {
    this.#ids.delete(jobId)
  }

  /** Drops the jobs Redis no longer holds. */
  prune(): Promise<void> {
    this.#pruning ??= this.#prune().finally(() => (this.#pruning = undefined))
    return this.#pruning
  }

  async #prune(): Promise<void> {
    const client = await this.queue.client
    const ids = [...this.#ids]
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK)
      // ioredis pipelines these concurrent reads into one round trip.
      const names = await Promise.all(chunk.map((id) => client.hget(this.queue.toKey(id), 'name')))
      chunk.forEach((id, i) => {
        if (names[i] === null) this.#ids.delete(id)
      })
    }
    this.#pruneAbove = Math.max(PRUNE_ABOVE, this.#ids.size * 2)
  }
}
