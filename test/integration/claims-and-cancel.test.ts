import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createEngine, createMemoryStore, defineNode, type Engine, type CreateEngineOptions, type JobRecord, type Logger, type Store } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { createPollingQueue } from '../../src/queue/polling-queue.js'
import { gate } from '../engine/helpers.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// Claims and cancels on real stores: an acknowledged cancel always ends the execution aborted
// (canceled), even when it lands while the run is saving its last job or runs in another
// engine; a worker that lost its claim stores nothing more; a run is never started twice in
// one process.

const postgres = await postgresService()
const dir = mkdtempSync(join(tmpdir(), 'hookflow-claims-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Opens the same database again (another engine, as another process would): memory has none. */
type Opener = () => Promise<Store>
type Kind = [name: string, open: ((file: string) => Opener) | undefined]

const kinds: Kind[] = [
  ['memory', () => { const store = createMemoryStore(); return async () => store }],
  ['SQLite', (file) => async () => createSqliteStore({ filename: join(dir, `${file}.db`) })],
  [
    'Postgres',
    postgres
      ? (file) => {
          const schema = testSchema(`claims_${file.slice(0, 8)}`)
          return async () => {
            const store = createPostgresStore({ pool: postgres.pool }, { schema })
            await store.migrate()
            return store
          }
        }
      : undefined,
  ],
]

/** The store with some of its methods replaced: everything else is the store's own. */
function intercepted(
  store: Store,
  replace: {
    save?: Store['jobs']['save']
    finish?: Store['executions']['finish']
    renew?: Store['executions']['renew']
    claim?: Store['executions']['claim']
    claimable?: Store['executions']['claimable']
    claimNext?: Store['executions']['claimNext']
  },
): Store {
  const jobs = { ...pick(store.jobs), ...(replace.save ? { save: replace.save } : {}) }
  const executions = {
    ...pick(store.executions),
    ...(replace.finish ? { finish: replace.finish } : {}),
    ...(replace.renew ? { renew: replace.renew } : {}),
    ...(replace.claim ? { claim: replace.claim } : {}),
    ...(replace.claimable ? { claimable: replace.claimable } : {}),
    ...(replace.claimNext ? { claimNext: replace.claimNext } : {}),
  }
  return new Proxy(store, {
    get(target, key) {
      if (key === 'jobs') return jobs
      if (key === 'executions') return executions
      const value = Reflect.get(target, key) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

function pick<T extends object>(object: T): T {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    const value = (object as Record<string, unknown>)[key]
    copy[key] = typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value
  }
  return copy as T
}

function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = []
  const at = (level: string) => (fields: Record<string, unknown>, message: string): void => void lines.push({ level, message, fields })
  return { lines, debug: () => undefined, info: at('info'), warn: at('warn'), error: at('error'), isLevelEnabled: (level) => level !== 'debug' }
}

/** A node that waits until its gate opens or its signal fires; counts its runs. */
function hanging(): { node: ReturnType<typeof defineNode>; runs: () => number; aborted: () => boolean; started: Promise<void>; release: () => void } {
  const open = gate()
  const started = gate()
  let runs = 0
  let aborted = false
  const node = defineNode({
    type: 'test.hang',
    run: ({ signal }) => {
      runs++
      started.open()
      return new Promise((resolve, reject) => {
        void open.promise.then(() => resolve({ done: true }))
        signal.addEventListener('abort', () => {
          aborted = true
          reject(signal.reason)
        })
      })
    },
  })
  return { node, runs: () => runs, aborted: () => aborted, started: started.promise, release: open.open }
}

function engineOn(store: Store, options: Omit<CreateEngineOptions, 'store'> = {}): Engine {
  const engine = createEngine({ store, ...options })
  onTestFinished(() => engine.close())
  return engine
}

const SLOW = { key: 'slow', trigger: { type: 'webhook', id: 'slow' }, nodes: [{ key: 'wait', type: 'delay', config: { duration: 1, unit: 'h' } }] } as const
const HANG = { key: 'hang', trigger: { type: 'webhook', id: 'hang' }, nodes: [{ key: 'x', type: 'test.hang' }] } as const

describe.each(kinds)('claims and cancels on the %s store', (name, opener) => {
  const durable = name !== 'memory'
  // Parked jobs saved before a run ends, a second engine on the same data and a lease that runs
  // out exist only on a store that outlives its process; the skip says so in its name.
  const onDurable = (title: string): string => (durable ? title : `${title} (skipped: the memory store lives in one process)`)

  describe.skipIf(!opener)('when the store is reachable', { timeout: 20_000 }, () => {
    it.skipIf(!durable)(onDurable('ends aborted a run canceled while its parking job is being saved (it does not park)'), async () => {
      const open = opener!(randomUUID())
      const real = await open()
      const reached = gate()
      const saving = gate()
      const parking = async (jobs: readonly JobRecord[]): Promise<void> => {
        if (jobs.some((job) => job.status === 'waiting')) {
          reached.open()
          await saving.promise
        }
      }
      // The parking job goes with the park in one write (`finish`), or on its own where a store has no `finish`.
      const store = intercepted(real, {
        save: async (id, jobs, conditions) => {
          await parking(jobs)
          return real.jobs.save(id, jobs, conditions)
        },
        finish: async (id, patch, jobs, conditions) => {
          await parking(jobs)
          return real.executions.finish!(id, patch, jobs, conditions)
        },
      })
      const engine = engineOn(store)
      engine.register(SLOW as never)
      const { id } = await engine.trigger('slow')
      await reached.promise
      const canceled = engine.cancel(id)
      saving.open()
      expect(await canceled).toBe(true)
      // Stored by the time cancel answers, and it stays so.
      expect(await real.executions.get(id)).toMatchObject({ status: 'aborted', reason: 'canceled' })
      await engine.idle()
      expect(await real.executions.get(id)).toMatchObject({ status: 'aborted', reason: 'canceled' })
      expect(await engine.cancel(id)).toBe(false)
    })

    it('stores nothing more from a worker whose claim another worker took over: no end, no error, one log line', async () => {
      const open = opener!(randomUUID())
      const real = await open()
      const hang = hanging()
      const logger = recordingLogger()
      const errors: Error[] = []
      const engine = engineOn(real, { nodeTypes: [hang.node], logger })
      engine.on('error', (error) => void errors.push(error))
      engine.register(HANG as never)
      const { id } = await engine.trigger('hang')
      await hang.started
      // Another worker takes it over as if the lease (30 s, not renewed yet) had run out.
      const other = await real.executions.claim(id, { owner: 'worker-elsewhere', leaseMs: 60_000, now: Date.now() + 31_000 })
      expect(other).toMatchObject({ status: 'started', attempts: 2 })
      hang.release()
      await engine.idle()
      expect(await real.executions.get(id)).toMatchObject({ status: 'started', finishedAt: null, attempts: 2 })
      expect(await real.jobs.list(id)).toEqual([])
      expect(errors).toEqual([])
      const lost = logger.lines.filter((line) => line.fields.executionId === id)
      expect(lost).toHaveLength(1)
      expect(lost[0]).toMatchObject({ level: 'info', fields: { executionId: id, workflowKey: 'hang' } })
      expect(await real.executions.renew(id, { owner: 'worker-elsewhere', leaseMs: 60_000, now: Date.now() })).toBe(true)
    })

    it.skipIf(!durable)(onDurable('ends aborted a run another engine holds when this one cancels it; that worker stops and stores nothing more'), async () => {
      const open = opener!(randomUUID())
      const hang = hanging()
      const errors: Error[] = []
      const worker = engineOn(await open(), { nodeTypes: [hang.node], leaseMs: 300 })
      worker.on('error', (error) => void errors.push(error))
      worker.register(HANG as never)
      const canceler = engineOn(await open(), { nodeTypes: [hang.node], worker: false })
      canceler.register(HANG as never)
      const { id } = await worker.trigger('hang')
      await hang.started
      expect(await canceler.cancel(id)).toBe(true)
      expect(await canceler.getExecution(id)).toMatchObject({ status: 'aborted', reason: 'canceled' })
      // The worker's next heartbeat finds its claim gone and stops the node.
      await vi.waitFor(() => expect(hang.aborted()).toBe(true), { timeout: 5000 })
      await worker.idle()
      expect(await canceler.getExecution(id)).toMatchObject({ status: 'aborted', reason: 'canceled', jobs: [] })
      expect(errors).toEqual([])
      expect(await canceler.cancel(id)).toBe(false)
    })

    it.skipIf(!durable)(onDurable('never runs an execution twice in one process when its lease ran out while it waited here'), async () => {
      const open = opener!(randomUUID())
      const real = await open()
      const hang = hanging()
      let offered = 0
      let waitingId = ''
      // Every claim counts an attempt: how many each execution got, from polls or by id.
      const claimed = new Map<string, number>()
      const count = (id: string): void => void claimed.set(id, (claimed.get(id) ?? 0) + 1)
      const store = intercepted(real, {
        // A heartbeat that comes too late: the lease is never extended.
        renew: async () => true,
        claimable: async (options) => {
          const ids = await real.executions.claimable(options)
          if (ids.includes(waitingId)) offered++
          return ids
        },
        // The queue finds and claims in one step: each poll claims the lapsed ones again.
        claimNext: async (options) => {
          const records = await real.executions.claimNext!(options)
          for (const record of records) count(record.id)
          if (records.some((record) => record.id === waitingId)) offered++
          return records
        },
        claim: async (id, options) => {
          const record = await real.executions.claim(id, options)
          if (record) count(id)
          return record
        },
      })
      // The store's own polling queue, on the store seen here, polling often.
      const queue = createPollingQueue(store.executions, { pollIntervalMs: 20 })
      const engine = engineOn(store, { nodeTypes: [hang.node], leaseMs: 60, queue })
      engine.register({ ...HANG, options: { concurrency: 1 } } as never)
      const first = await engine.trigger('hang')
      await hang.started
      // Claimed and held here, waiting for the workflow's one slot: the queue's handler is done
      // with it, and its polls find it claimable (its lease ran out) again and again.
      const second = await engine.trigger('hang')
      waitingId = second.id
      await vi.waitFor(() => expect(offered).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
      hang.release()
      await vi.waitFor(async () => expect((await real.executions.get(second.id))?.status).toBe('resolved'), { timeout: 10_000 })
      await engine.idle()
      expect(hang.runs()).toBe(2)
      // Claimed again and again (their leases ran out), neither ran twice: each claim counted.
      expect(await real.executions.get(first.id)).toMatchObject({ status: 'resolved', attempts: claimed.get(first.id) })
      expect(await real.executions.get(second.id)).toMatchObject({ status: 'resolved', attempts: claimed.get(second.id) })
    })
  })
})
