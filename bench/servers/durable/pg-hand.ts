/**
 * Hand-written durable-contract receiver on Postgres: node:http + pg (a pool of 10), an INSERT
 * before answering, and a worker loop whose one transaction takes up to 50 queued rows
 * `FOR UPDATE SKIP LOCKED`, runs the branch of each and marks them done before it commits.
 * SCHEMA names a schema the harness drops afterwards.
 */
import { createServer } from 'node:http'
import pg from 'pg'
import { serveBench } from '../../lib/serve-bench.js'
import { answerOk, type Delivery, handReceiver, runBranch } from './hand-receive.js'

const schema = process.env.SCHEMA ?? 'hand_bench'
const pool = new pg.Pool({ connectionString: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 10 })
await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
await pool.query(`CREATE TABLE "${schema}".deliveries (id bigserial PRIMARY KEY, status text NOT NULL, context json NOT NULL,
  result json, created_at bigint NOT NULL, finished_at bigint)`)
await pool.query(`CREATE INDEX ON "${schema}".deliveries (id) WHERE status = 'queued'`)
const insert = `INSERT INTO "${schema}".deliveries (status, context, created_at) VALUES ('queued', $1, $2)`
const take = `SELECT id, context::text AS context FROM "${schema}".deliveries WHERE status = 'queued' ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED`
const finish = `UPDATE "${schema}".deliveries AS d SET status = 'resolved', result = r.result::json, finished_at = $3
  FROM unnest($1::bigint[], $2::text[]) AS r (id, result) WHERE d.id = r.id`
let completed = 0
let accepted = 0
let running = false
let again = false

async function loop(): Promise<void> {
  if (running) return void (again = true)
  running = true
  try {
    do {
      again = false
      const client = await pool.connect()
      let taken = 0
      try {
        await client.query('BEGIN')
        const { rows } = await client.query<{ id: string; context: string }>(take)
        taken = rows.length
        if (taken > 0) {
          const results = rows.map((row) => JSON.stringify(runBranch(JSON.parse(row.context) as Delivery)))
          await client.query(finish, [rows.map((row) => row.id), results, Date.now()])
        }
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
      completed += taken
      if (taken === 50) again = true
    } while (again)
  } finally {
    running = false
  }
}
const wake = (): void => void loop().catch((error: unknown) => console.error('pg-hand:', error))
setInterval(wake, 250).unref()

const server = createServer(handReceiver((delivery, res) => {
  pool.query(insert, [JSON.stringify(delivery), Date.now()]).then(
    () => {
      accepted++
      answerOk(res)
      wake()
    },
    () => void res.writeHead(503).end(),
  )
}))
serveBench(server, { completed: () => completed, accepted: () => accepted })
