/**
 * The usual Express + BullMQ receiver: Express 5, `express.json()`, Basic auth checked in
 * constant time, `queue.add()` then 202; a BullMQ Worker in the same process runs the branch and
 * returns its outcome (BullMQ records it). Jobs are removed on completion, as hookflow's BullMQ
 * queue removes them (its store keeps the outcome). PREFIX names Redis keys the harness removes.
 */
import { createServer } from 'node:http'
import { Queue, Worker } from 'bullmq'
import { serveBench } from '../../lib/serve-bench.js'
import { expressReceiver } from './express-receive.js'
import { type Delivery, runBranch } from './hand-receive.js'

const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }
const prefix = process.env.PREFIX ?? 'hand-bench'
const queue = new Queue<Delivery>('deliveries', { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } })
let completed = 0
let accepted = 0
const worker = new Worker<Delivery>('deliveries', async (job) => runBranch(job.data), { connection, prefix, concurrency: Number(process.env.CONCURRENCY ?? 8) })
worker.on('completed', () => void completed++)
await worker.waitUntilReady()

const app = expressReceiver(async (delivery, res) => {
  try {
    await queue.add('delivery', delivery)
  } catch {
    return void res.status(503).end()
  }
  accepted++
  res.status(202).send('ok')
})
serveBench(createServer(app), { completed: () => completed, accepted: () => accepted })
