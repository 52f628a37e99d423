/**
 * Hand-written durable-contract receiver on memory: node:http records each delivery in a Map
 * before answering, runs the branch after the answer, records the outcome, and keeps a bounded
 * history of 10,000 finished runs (as hookflow's memory store does by default).
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { serveBench } from '../../lib/serve-bench.js'
import { answerOk, type Delivery, handReceiver, runBranch } from './hand-receive.js'

interface Run { delivery: Delivery; status: 'queued' | 'resolved'; result?: unknown; createdAt: number; finishedAt?: number }

const HISTORY = 10_000
const runs = new Map<string, Run>()
const finished: string[] = []
let completed = 0
let accepted = 0

function work(id: string): void {
  const run = runs.get(id)!
  run.result = runBranch(run.delivery)
  run.status = 'resolved'
  run.finishedAt = Date.now()
  finished.push(id)
  if (finished.length > HISTORY) runs.delete(finished.shift()!)
  completed++
}

const server = createServer(handReceiver((delivery, res) => {
  const id = randomUUID()
  runs.set(id, { delivery, status: 'queued', createdAt: Date.now() })
  accepted++
  answerOk(res)
  setImmediate(work, id)
}))
serveBench(server, { completed: () => completed, accepted: () => accepted })
