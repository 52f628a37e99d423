import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { createEngine, type ExecutionRecord, type Store } from '../../src/index.js'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { deliver, runsOf, spawnNode, until } from '../helpers/outage-nodes.js'

// engine.cancel in this process for an execution a worker in another process (a real child,
// on the built package) is running: answered true once it is stored aborted, and that worker
// stops the run without storing anything more of it, then goes on working.

const postgres = await postgresService()
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function files(): { LOG: string; HOLD: string; DB: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-cancel-'))
  dirs.push(dir)
  const HOLD = join(dir, 'hold')
  writeFileSync(HOLD, '')
  return { LOG: join(dir, 'runs.log'), HOLD, DB: join(dir, 'hookflow.db') }
}

async function cancelAcrossProcesses(env: Record<string, string>, store: Store): Promise<void> {
  // A short lease: the child's heartbeat (a third of it) finds the cancel soon.
  const worker = await spawnNode({ ...env, LAYOUT: 'hold', ENGINE: JSON.stringify({ leaseMs: 900 }) })
  const canceler = createEngine({ store, worker: false })
  onTestFinished(() => canceler.close())
  const id = await deliver(worker.url!, 'held')
  expect(id).toBeDefined()
  const held = async (): Promise<ExecutionRecord | undefined> => store.executions.get(id!)
  await until(async () => (await held())?.status === 'started', 20_000, 'the child to hold the run')
  expect(await canceler.cancel(id!)).toBe(true)
  expect(await held()).toMatchObject({ status: 'aborted', reason: 'canceled' })
  // The hold lets go; a second delivery then runs through, so the first run has ended by then.
  rmSync(env.HOLD!)
  const next = await deliver(worker.url!, 'after')
  await until(async () => (await store.executions.get(next!))?.status === 'resolved', 20_000, 'the next delivery to resolve')
  await until(() => runsOf(env.LOG!).get(next!)?.length === 3, 5_000, 'the next delivery\'s steps')
  expect(await held()).toMatchObject({ status: 'aborted', reason: 'canceled' })
  expect(await store.jobs.list(id!)).toEqual([])
  expect(runsOf(env.LOG!).get(id!)).toBeUndefined()
  expect(worker.errors.filter((line) => line.includes(id!))).toEqual([])
  expect(worker.child.exitCode).toBeNull()
  expect(await canceler.cancel(id!)).toBe(false)
}

describe('a cancel from another process', { timeout: 60_000 }, () => {
  it('ends aborted a run a SQLite worker in another process holds; that worker stores nothing more of it', async () => {
    const env = files()
    const store = createSqliteStore({ filename: env.DB })
    await cancelAcrossProcesses({ STORE: 'sqlite', ...env }, store)
  })

  it.runIf(postgres)('ends aborted a run a Postgres worker in another process holds; that worker stores nothing more of it', async () => {
    const schema = testSchema('cancel')
    const store = createPostgresStore({ pool: postgres!.pool }, { schema })
    await store.migrate()
    await cancelAcrossProcesses({ STORE: 'postgres', PG_URL: postgres!.url, SCHEMA: schema, ...files() }, store)
  })
})
