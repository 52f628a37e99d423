import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'
import { deliver, kill, runsOf, spawnNode, until } from '../helpers/outage-nodes.js'

// Real processes killed with SIGKILL while their runs are held, on the default lease (30 s) and
// takeover interval (5 s): a worker on the same host takes the runs over within seconds, without
// waiting for the dead process's claims to expire, and every acknowledged delivery runs once.
// The hold node was running at the kill; only the steps after it log their runs.

const postgres = await postgresService()
const redis = await redisAvailable('the BullMQ takeover test')
const prefix = testPrefix('takeover')
const DELIVERIES = 6
const LEASE_MS = 30_000

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  if (redis) await obliterate('takeover', prefix)
})

function files(): { LOG: string; HOLD: string; DB: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-takeover-'))
  dirs.push(dir)
  const HOLD = join(dir, 'hold')
  writeFileSync(HOLD, '')
  return { LOG: join(dir, 'runs.log'), HOLD, DB: join(dir, 'hookflow.db') }
}

interface Row {
  id: string
  status: string
  attempts: number
  owner: string | null
}

/**
 * Delivers to a doomed node until it holds every run, kills it, and measures until a survivor
 * (running beside it, or started after the kill) resolved them all.
 */
async function takeover(env: Record<string, string>, rows: () => Promise<Row[]>, survivorStarts: 'beside' | 'after'): Promise<number> {
  const doomed = await spawnNode({ ...env, LAYOUT: 'hold' })
  const ids = (await Promise.all(Array.from({ length: DELIVERIES }, (_, i) => deliver(doomed.url!, `d${i}`)))).filter((id): id is string => id !== undefined)
  expect(ids).toHaveLength(DELIVERIES)
  const pid = doomed.child.pid!
  await until(async () => (await rows()).filter((row) => row.status === 'started' && row.owner?.includes(` pid:${pid} `)).length === DELIVERIES, 20_000, 'the doomed node to hold every run')
  let survivor = survivorStarts === 'beside' ? await spawnNode({ ...env, LAYOUT: 'hold' }) : undefined
  await survivor?.ready
  await kill(doomed)
  const killedAt = Date.now()
  rmSync(env.HOLD!)
  survivor ??= await spawnNode({ ...env, LAYOUT: 'hold' })
  await until(async () => (await rows()).filter((row) => ids.includes(row.id) && row.status === 'resolved').length === DELIVERIES, 25_000, 'every run taken over and resolved')
  const ms = Date.now() - killedAt
  const all = await rows()
  for (const id of ids) expect(all.find((row) => row.id === id)).toMatchObject({ status: 'resolved', attempts: 2 })
  expect(all.filter((row) => row.status !== 'resolved')).toEqual([])
  // Every step after the hold ran once, in the survivor.
  const runs = runsOf(env.LOG!)
  for (const id of ids) {
    expect(runs.get(id)?.map((run) => run.key)).toEqual(['one', 'two', 'three'])
    expect(runs.get(id)?.every((run) => run.pid === survivor.child.pid)).toBe(true)
  }
  await kill(survivor)
  return ms
}

function sqliteRows(file: string): () => Promise<Row[]> {
  return async () => {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      return db.prepare('SELECT id, status, attempts, owner FROM executions').all() as Row[]
    } finally {
      db.close()
    }
  }
}

describe('takeover after SIGKILL', { timeout: 120_000 }, () => {
  it('takes a killed SQLite worker\'s runs over within seconds: by a worker beside it, and by a process started after it', async () => {
    const beside = files()
    const besideMs = await takeover({ STORE: 'sqlite', ...beside }, sqliteRows(beside.DB), 'beside')
    const after = files()
    const afterMs = await takeover({ STORE: 'sqlite', ...after }, sqliteRows(after.DB), 'after')
    console.log(`takeover after SIGKILL on SQLite (lease ${LEASE_MS} ms): ${besideMs} ms by a worker running beside it, ${afterMs} ms by a process started after the kill (its start included)`)
    expect(besideMs).toBeLessThan(LEASE_MS / 2)
    expect(afterMs).toBeLessThan(LEASE_MS / 2)
  })

  describe.runIf(postgres)('on Postgres', () => {
    const schema = testSchema('takeover')
    const pgRows = async (): Promise<Row[]> => (await postgres!.pool.query<Row>(`SELECT id, status, attempts, owner FROM "${schema}".executions`)).rows
    const migrated = (async () => {
      const store = createPostgresStore({ pool: postgres!.pool }, { schema })
      await store.migrate()
    })()
    const truncate = async (): Promise<void> => {
      await migrated
      await postgres!.pool.query(`TRUNCATE "${schema}".executions, "${schema}".jobs`)
    }

    it('takes a killed Postgres worker\'s runs over within seconds, on the store\'s own queue', async () => {
      await truncate()
      const ms = await takeover({ STORE: 'postgres', PG_URL: postgres!.url, SCHEMA: schema, ...files() }, pgRows, 'beside')
      console.log(`takeover after SIGKILL on Postgres (lease ${LEASE_MS} ms): ${ms} ms`)
      expect(ms).toBeLessThan(LEASE_MS / 2)
    })

    it.runIf(redis)('takes a killed BullMQ worker\'s runs over within seconds, before BullMQ finds its jobs stalled', async () => {
      await truncate()
      const env = { STORE: 'postgres', PG_URL: postgres!.url, SCHEMA: schema, QUEUE: 'bullmq', REDIS_URL, QUEUE_NAME: 'takeover', PREFIX: prefix, ...files() }
      const ms = await takeover(env, pgRows, 'beside')
      console.log(`takeover after SIGKILL on Postgres with BullMQ (lease ${LEASE_MS} ms, BullMQ lock and stalled check 30 s): ${ms} ms`)
      expect(ms).toBeLessThan(LEASE_MS / 2)
    })
  })
})
