/**
 * Hand-written durable-contract receiver on SQLite: node:http + better-sqlite3 (WAL,
 * `synchronous = NORMAL`), one INSERT per delivery before answering, and a loop that claims up
 * to 50 queued rows in one transaction, runs the branch of each and marks them done in another.
 */
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { serveBench } from '../../lib/serve-bench.js'
import { answerOk, type Delivery, handReceiver, runBranch } from './hand-receive.js'

const db = new Database(join(mkdtempSync(join(tmpdir(), 'hand-sqlite-')), 'hand.db'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec(`CREATE TABLE deliveries (id INTEGER PRIMARY KEY, status TEXT NOT NULL, context TEXT NOT NULL,
  result TEXT, created_at INTEGER NOT NULL, finished_at INTEGER)`)
db.exec(`CREATE INDEX deliveries_queued ON deliveries (id) WHERE status = 'queued'`)
const insert = db.prepare(`INSERT INTO deliveries (status, context, created_at) VALUES ('queued', ?, ?)`)
const claim = db.prepare(`UPDATE deliveries SET status = 'started' WHERE id IN
  (SELECT id FROM deliveries WHERE status = 'queued' ORDER BY id LIMIT 50) RETURNING id, context`)
const done = db.prepare(`UPDATE deliveries SET status = 'resolved', result = ?, finished_at = ? WHERE id = ?`)
const markDone = db.transaction((rows: Array<{ id: number; result: string }>) => {
  const now = Date.now()
  for (const row of rows) done.run(row.result, now, row.id)
})
let completed = 0
let accepted = 0
let scheduled = false

function drain(): void {
  scheduled = false
  const rows = claim.all() as Array<{ id: number; context: string }>
  if (rows.length === 0) return
  markDone(rows.map((row) => ({ id: row.id, result: JSON.stringify(runBranch(JSON.parse(row.context) as Delivery)) })))
  completed += rows.length
  schedule()
}
const schedule = (): void => {
  if (scheduled) return
  scheduled = true
  setImmediate(drain)
}
// Rows a crash left (or a wake that was missed) are found by a poll.
setInterval(schedule, 250).unref()

const server = createServer(handReceiver((delivery, res) => {
  insert.run(JSON.stringify(delivery), Date.now())
  accepted++
  answerOk(res)
  schedule()
}))
serveBench(server, { completed: () => completed, accepted: () => accepted })
