import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Queue } from '../../src/index.js'
import { createPostgresStore, type PostgresStore } from '../../src/storage/postgres/index.js'
import { postgresNames } from '../../src/storage/postgres/names.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// Two "processes" (separate pools, separate queues) on one schema: work one cannot start at
// once reaches the other through LISTEN/NOTIFY, not through its poll (set to a minute here).

const postgres = await postgresService()

interface Worker {
  store: PostgresStore
  queue: Queue
  finished: string[]
  release: () => void
  /** What the queue reported through `onError`. */
  errors: Error[]
}

describe.skipIf(!postgres)('the Postgres queue across processes', { timeout: 30_000 }, () => {
  const service = postgres!
  const schema = testSchema('queue')
  const workers: Worker[] = []
  afterEach(async () => {
    for (const worker of workers) worker.release()
    await Promise.all(workers.splice(0).map(async ({ queue, store }) => {
      await queue.close()
      await store.close()
    }))
  })

  /** A worker whose handler claims, waits until released, and finishes. */
  async function worker(options: { concurrency: number; pollIntervalMs: number; notify?: boolean }): Promise<Worker> {
    const store = createPostgresStore({ connectionString: service.url, max: 4 }, { schema })
    await store.migrate()
    const errors: Error[] = []
    const queue = store.createQueue({ ...options, onError: (error) => errors.push(error) })
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const finished: string[] = []
    const made = { store, queue, finished, release, errors }
    workers.push(made)
    await queue.start(async (id) => {
      const claimed = await store.executions.claim(id, { owner: randomUUID(), leaseMs: 60_000, now: Date.now() })
      if (!claimed) return
      await held
      await store.executions.update(id, { status: 'resolved', finishedAt: Date.now() })
      finished.push(id)
    })
    return made
  }

  async function stored(store: PostgresStore): Promise<string> {
    const id = randomUUID()
    await store.executions.create({
      id, workflowKey: 'q', eventKey: null, sync: false, status: 'queued', reason: null,
      context: { headers: {}, query: {}, body: {}, params: {} }, response: null, error: null,
      createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0,
    })
    return id
  }

  it('hands work a busy process cannot start to an idle process at once', async () => {
    const busy = await worker({ concurrency: 1, pollIntervalMs: 60_000 })
    const idle = await worker({ concurrency: 2, pollIntervalMs: 60_000 })
    idle.release()
    await idle.queue.idle()
    const first = await stored(busy.store)
    await busy.queue.enqueue(first)
    const second = await stored(busy.store)
    await busy.queue.enqueue(second)
    await expect.poll(() => idle.finished, { timeout: 10_000 }).toEqual([second])
    busy.release()
    await expect.poll(() => busy.finished, { timeout: 10_000 }).toEqual([first])
  })

  it('listens again after its connection is cut, and still hands work over', async () => {
    const busy = await worker({ concurrency: 1, pollIntervalMs: 60_000 })
    const idle = await worker({ concurrency: 2, pollIntervalMs: 60_000 })
    idle.release()
    await idle.queue.idle()
    const { channel } = postgresNames(schema)
    const listening = async (): Promise<number[]> =>
      (await service.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`])).rows.map((row) => row.pid)
    const before = await listening()
    expect(before).toHaveLength(2)
    await service.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before])
    // Both queues connect again (after about a second).
    await expect.poll(async () => (await listening()).filter((pid) => !before.includes(pid)), { timeout: 10_000 }).toHaveLength(2)
    await busy.queue.enqueue(await stored(busy.store))
    const handed = await stored(busy.store)
    await busy.queue.enqueue(handed)
    await expect.poll(() => idle.finished, { timeout: 10_000 }).toEqual([handed])
    // One report per queue for the outage, none for the attempts after it.
    expect(busy.errors.map((error) => error.message)).toEqual([expect.stringContaining('LISTEN')])
    expect(idle.errors).toHaveLength(1)
  })

  it('gives its listening connection back to the pool when it closes', async () => {
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    const queue = store.createQueue({ pollIntervalMs: 60_000 })
    await queue.start(async () => undefined)
    expect(service.pool.totalCount - service.pool.idleCount).toBeGreaterThanOrEqual(1)
    await queue.close()
    await store.close()
    expect(service.pool.totalCount - service.pool.idleCount).toBe(0)
  })

  it('holds no connection for listening with notify: false', async () => {
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    const queue = store.createQueue({ pollIntervalMs: 60_000, notify: false })
    await queue.start(async () => undefined)
    await queue.idle()
    expect(service.pool.totalCount - service.pool.idleCount).toBe(0)
    await queue.close()
    await store.close()
  })
})
