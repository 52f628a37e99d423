/**
 * The Express + BullMQ receiver that keeps a record, as hookflow's BullMQ setup does: Express 5,
 * `express.json()`, Basic auth in constant time, the delivery INSERTed into Postgres (a pool of
 * 10), `queue.add()` with its id, then 202; a BullMQ Worker in the same process (concurrency 8,
 * or CONCURRENCY) runs the branch and UPDATEs the row with its outcome. Jobs are removed on
 * completion. SCHEMA names a schema and PREFIX Redis keys; the harness removes both.
 */
import { createServer } from 'node:http'
import pg from 'pg'
import { Queue, Worker } from 'bullmq'
import { serveBench } from '../../lib/serve-bench.js'
import { expressReceiver } from './express-receive.js'
import { type Delivery, runBranch } from './hand-receive.js'

const schema = process.env.SCHEMA ?? 'hand_bench'
const pool = new pg.Pool({ connectionString: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 10 })
await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
await pool.query(`CREATE TABLE "${schema}".deliveries (id bigserial PRIMARY KEY, status text NOT NULL, context json NOT NULL,
  result json, created_at bigint NOT NULL, finished_at bigint)`)
const insert = `INSERT INTO "${schema}".deliveries (status, context, created_at) VALUES ('queued', $1, $2) RETURNING id`
const finish = `UPDATE "${schema}".deliveries SET status = 'resolved', result = $2, finished_at = $3 WHERE id = $1`

const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }
const prefix = process.env.PREFIX ?? 'hand-bench'
const queue = new Queue<{ id: string; delivery: Delivery }>('deliveries', { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } })
let completed = 0
let accepted = 0
const worker = new Worker<{ id: string; delivery: Delivery }>('deliveries', async (job) => {
  const result = runBranch(job.data.delivery)
  await pool.query(finish, [job.data.id, JSON.stringify(result), Date.now()])
}, { connection, prefix, concurrency: Number(process.env.CONCURRENCY ?? 8) })
worker.on('completed', () => void completed++)
await worker.waitUntilReady()

const app = expressReceiver(async (delivery, res) => {
  try {
    const { rows } = await pool.query<{ id: string }>(insert, [JSON.stringify(delivery), Date.now()])
    await queue.add('delivery', { id: rows[0]!.id, delivery })
  } catch {
    return void res.status(503).end()
  }
  accepted++
  res.status(202).send('ok')
})
serveBench(createServer(app), { completed: () => completed, accepted: () => accepted })
