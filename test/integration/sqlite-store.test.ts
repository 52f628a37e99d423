import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/index.js'
import type { NewExecution } from '../../src/index.js'
import { createSqliteStore, type SqliteStore, SqliteStoreError } from '../../src/storage/sqlite/index.js'

const dir = mkdtempSync(join(tmpdir(), 'hookflow-sqlite-int-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (): string => join(dir, `${randomUUID()}.db`)

const open: SqliteStore[] = []
function store(options: Parameters<typeof createSqliteStore>[0]): SqliteStore {
  const made = createSqliteStore(options)
  open.push(made)
  return made
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((made) => made.close()))
})

function execution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    id: randomUUID(), workflowKey: 'orders', eventKey: null, sync: false, status: 'queued', reason: null,
    context: { headers: {}, query: {}, body: { n: 1 }, params: {} }, response: null, error: null,
    createdAt: Date.now(), startedAt: null, finishedAt: null, attempts: 0, ...overrides,
  }
}

/** The open error `create` throws, checked for the shape every open failure has. */
function openError(filename: string, create: () => unknown): SqliteStoreError {
  let caught: unknown
  try {
    create()
  } catch (error) {
    caught = error
  }
  expect(SqliteStoreError.is(caught), String(caught)).toBe(true)
  const error = caught as SqliteStoreError
  expect(error).toMatchObject({ name: 'SqliteStoreError', code: 'sqlite_open_failed', filename })
  expect(error.message).toContain(filename)
  expect(error.cause).toBeDefined()
  return error
}

describe('the SQLite store on a file', () => {
  it('keeps executions, jobs and event keys across close and reopen', async () => {
    const filename = file()
    const first = createSqliteStore({ filename })
    const record = execution({ eventKey: 'evt-1' })
    await first.executions.create(record)
    await first.jobs.save(record.id, [{ index: 0, nodeKey: 'a', type: 't', status: 'resolved', result: { ok: 1 }, error: null, startedAt: 1, finishedAt: 2 }])
    await first.close()

    const again = store({ filename })
    expect(await again.executions.get(record.id)).toEqual({ ...record, jobs: [] })
    expect(await again.jobs.list(record.id)).toMatchObject([{ index: 0, result: { ok: 1 } }])
    expect((await again.executions.create(execution({ eventKey: 'evt-1' }))).created).toBe(false)
  })

  it('puts the file in WAL mode', () => {
    const filename = file()
    store({ filename })
    const other = new Database(filename, { readonly: true })
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal')
    other.close()
  })

  it('runs, after a restart, the async executions a previous process stored and never ran', async () => {
    const filename = file()
    const before = createSqliteStore({ filename })
    const ids = [execution(), execution()]
    for (const record of ids) await before.executions.create(record)
    await before.close()

    const engine = createEngine({ store: store({ filename }) })
    engine.register({ key: 'orders', trigger: { type: 'webhook', id: 'orders' }, nodes: [{ key: 'done', type: 'end' }] })
    await engine.start()
    await expect.poll(async () => (await engine.listExecutions({ status: 'resolved' })).length, { timeout: 10_000 }).toBe(2)
    await engine.close()
  })

  it('refuses writes once closed', async () => {
    const closed = createSqliteStore({ filename: file() })
    await closed.close()
    await expect(closed.executions.create(execution())).rejects.toMatchObject({ code: 'sqlite_closed' })
  })
})

describe('group commit', () => {
  it('commits 200 concurrent creates in a few transactions, answering each only once its row is committed', async () => {
    const filename = file()
    let commits = 0
    const grouped = store({ filename, onCommit: () => commits++ })
    const reader = new Database(filename, { readonly: true })
    const visible = reader.prepare('SELECT count(*) AS n FROM executions WHERE id = ?').pluck()
    const seenAtAnswer: Array<{ committed: number; visible: unknown }> = []
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        const record = execution()
        await grouped.executions.create(record)
        // Another connection sees only committed rows.
        seenAtAnswer.push({ committed: commits, visible: visible.get(record.id) })
      }),
    )
    reader.close()
    expect(commits).toBeGreaterThanOrEqual(1)
    expect(commits).toBeLessThanOrEqual(5)
    expect(seenAtAnswer.every((seen) => seen.committed >= 1 && seen.visible === 1)).toBe(true)
  })

  it('commits each write alone with groupCommit: false', async () => {
    let commits = 0
    const single = store({ filename: file(), groupCommit: false, onCommit: () => commits++ })
    await Promise.all(Array.from({ length: 20 }, () => single.executions.create(execution())))
    expect(commits).toBe(20)
  })

  it('fails only the caller whose write failed, and commits the rest of the batch', async () => {
    const grouped = store({ filename: file() })
    const taken = execution()
    await grouped.executions.create(taken)
    const results = await Promise.allSettled([
      grouped.executions.create(execution()),
      grouped.executions.create({ ...execution(), id: taken.id }),
      grouped.executions.create(execution()),
    ])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await grouped.executions.list({ limit: 10 })).toHaveLength(3)
  })

  it('rejects every caller of a batch that could not commit, with the cause', async () => {
    const filename = file()
    const grouped = store({ filename, busyTimeoutMs: 50 })
    const blocker = new Database(filename)
    blocker.exec('BEGIN IMMEDIATE')
    try {
      const results = await Promise.allSettled([grouped.executions.create(execution()), grouped.executions.create(execution())])
      for (const result of results) {
        expect(result.status).toBe('rejected')
        const reason = (result as PromiseRejectedResult).reason as SqliteStoreError
        expect(reason).toMatchObject({ code: 'sqlite_write_failed', filename })
        expect(reason.message).toMatch(/locked/)
        expect((reason.cause as { code?: string }).code).toBe('SQLITE_BUSY')
      }
    } finally {
      blocker.exec('ROLLBACK')
      blocker.close()
    }
    expect(await grouped.executions.list({ limit: 10 })).toEqual([])
  })
})

describe('opening a file that cannot serve as the store', () => {
  it('refuses a file of garbage bytes with an error naming the file', () => {
    const filename = file()
    writeFileSync(filename, Buffer.alloc(16_384, 0x5a))
    const error = openError(filename, () => createSqliteStore({ filename }))
    expect(error.message).toMatch(/not a SQLite database/)
  })

  it('refuses a database whose schema page is damaged', async () => {
    const filename = file()
    await createSqliteStore({ filename }).close()
    // Page 1 holds the schema; overwrite it past the 100-byte file header.
    const fd = openSync(filename, 'r+')
    writeSync(fd, Buffer.alloc(3000, 0xff), 0, 3000, 100)
    closeSync(fd)
    const error = openError(filename, () => createSqliteStore({ filename }))
    expect(error.message).toMatch(/corrupt|malformed|not a SQLite database/i)
  })

  it('refuses a file written by a newer schema', () => {
    const filename = file()
    const db = new Database(filename)
    db.pragma('user_version = 99')
    db.close()
    expect(openError(filename, () => createSqliteStore({ filename })).message).toMatch(/schema version is 99/)
  })

  it('refuses a database with an executions table it did not create', () => {
    const filename = file()
    const db = new Database(filename)
    db.exec('CREATE TABLE executions (whatever TEXT)')
    db.close()
    expect(openError(filename, () => createSqliteStore({ filename })).message).toMatch(/did not create/)
  })

  it('refuses a file another process holds locked, after the busy timeout rather than hanging', async () => {
    const filename = file()
    // The child takes an exclusive lock on a rollback-journal database and holds it until killed.
    const child = spawn(process.execPath, ['-e', `
      const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))})
      const db = new Database(${JSON.stringify(filename)})
      db.exec('CREATE TABLE other (a); BEGIN EXCLUSIVE; INSERT INTO other VALUES (1)')
      console.log('locked')
      setInterval(() => {}, 1000)
    `], { stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => data.toString().includes('locked') && resolve())
        child.on('exit', (code) => reject(new Error(`the locking child exited with ${code}`)))
      })
      const started = Date.now()
      const error = openError(filename, () => createSqliteStore({ filename, busyTimeoutMs: 200 }))
      expect(Date.now() - started).toBeLessThan(5000)
      expect(error.message).toMatch(/locked by another connection or process/)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('refuses a file whose folder does not exist', () => {
    const filename = join(dir, 'missing-folder', 'store.db')
    expect(openError(filename, () => createSqliteStore({ filename })).message).toMatch(/directory does not exist/)
  })
})
