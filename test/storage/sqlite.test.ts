import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createSqliteStore } from '../../src/storage/sqlite/index.js'
import { describeQueue, describeStore } from '../../src/testing/index.js'

// Real files, as in production: WAL, group commit and all. One file per test.
const dir = mkdtempSync(join(tmpdir(), 'hookflow-sqlite-'))
let files = 0
const filename = (): string => join(dir, `store-${++files}.db`)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeStore('sqlite', () => createSqliteStore({ filename: filename() }))

describeQueue(
  'sqlite',
  ({ concurrency, pollIntervalMs }) => {
    const store = createSqliteStore({ filename: filename() })
    return { queue: store.createQueue({ concurrency, pollIntervalMs }), store }
  },
  { durable: true },
)
