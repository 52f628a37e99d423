import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'
import { obliterate, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js'

// Two receivers and three workers as real processes on the real Postgres and Redis (BullMQ),
// 2,000 async deliveries over real HTTP; one worker is SIGKILLed mid-run and one receiver is
// killed and started again. Every acknowledged delivery must end as exactly one resolved
// execution, and a node may run a second time only when the worker that ran it first died
// before its job was saved.

const NODE = new URL('./cluster/cluster-node.mjs', import.meta.url).pathname
const DELIVERIES = 2000
const IN_FLIGHT = 24
// These deliveries hold their first node for 3 s: the killed worker is surely running some.
const SLOW = { from: 560, to: 590, pauseMs: 3000 }
const KILL_AT = 600
const RESTART_AT = 1000

const postgres = await postgresService()
const redis = await redisAvailable('the cluster test')
const prefix = testPrefix('cluster')
const QUEUE = 'cluster'

interface Node {
  role: 'receiver' | 'worker'
  child: ChildProcess
  url?: string
  up: boolean
}

const children: ChildProcess[] = []
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  if (redis) await obliterate(QUEUE, prefix)
})

describe.runIf(postgres && redis)('a cluster of receivers and workers', () => {
  const schema = testSchema('cluster')

  function spawnNode(role: Node['role']): Promise<Node> {
    const child = spawn(process.execPath, [NODE], {
      env: { ...process.env, ROLE: role, PG_URL: postgres!.url, SCHEMA: schema, REDIS_URL, QUEUE, PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    const node: Node = { role, child, up: false }
    return new Promise((resolve, reject) => {
      child.once('exit', (code, signal) => {
        node.up = false
        reject(new Error(`${role} exited early (${code ?? signal})`))
      })
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const port = /^listening (\d+)$/.exec(line)?.[1]
        if (port) node.url = `http://127.0.0.1:${port}/api/webhook:trigger/deliver`
        if (port || line === 'ready') {
          node.up = true
          resolve(node)
        }
      })
    })
  }

  async function kill(node: Node): Promise<void> {
    node.up = false
    const exited = new Promise((resolve) => node.child.once('exit', resolve))
    node.child.kill('SIGKILL')
    await exited
  }

  it('runs every acknowledged delivery once, through a killed worker and a restarted receiver', { timeout: 120_000 }, async () => {
    const setup = createPostgresStore({ pool: postgres!.pool }, { schema })
    await setup.migrate()
    await postgres!.pool.query(`CREATE TABLE "${schema}".node_runs (execution_id TEXT NOT NULL, node_key TEXT NOT NULL, pid INTEGER NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())`)

    const t0 = Date.now()
    const receivers = await Promise.all([spawnNode('receiver'), spawnNode('receiver')])
    const workers = await Promise.all([spawnNode('worker'), spawnNode('worker'), spawnNode('worker')])
    const killedWorker = workers[0]!
    const killedPid = killedWorker.child.pid!

    const acknowledged = new Map<string, string>() // delivery -> execution id
    let unanswered = 0
    let next = 0
    const disruptions: Promise<void>[] = []
    const pool = postgres!.pool
    async function killMidRun(): Promise<void> {
      // Until the worker has started a node of an execution that is not resolved.
      const midRun = async (): Promise<boolean> => {
        const { rows } = await pool.query(
          `SELECT 1 FROM "${schema}".node_runs r JOIN "${schema}".executions e ON e.id = r.execution_id WHERE r.pid = $1 AND e.status <> 'resolved' LIMIT 1`,
          [killedPid],
        )
        return rows.length > 0
      }
      const until = Date.now() + 20_000
      while (!(await midRun()) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
      await kill(killedWorker)
    }
    async function sender(lane: number): Promise<void> {
      for (let n = next++; n < DELIVERIES; n = next++) {
        if (n === KILL_AT) disruptions.push(killMidRun())
        if (n === RESTART_AT) {
          disruptions.push((async () => {
            await kill(receivers[1]!)
            receivers[1] = await spawnNode('receiver')
          })())
        }
        const up = receivers.filter((receiver) => receiver.up)
        const receiver = up[(n + lane) % up.length]!
        const delivery = `d${n}`
        const pause = n >= SLOW.from && n < SLOW.to ? SLOW.pauseMs : undefined
        try {
          const response = await fetch(receiver.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delivery, pause }) })
          await response.arrayBuffer()
          if (response.status === 200) acknowledged.set(delivery, response.headers.get('x-execution-id')!)
          else unanswered++
        } catch {
          // The receiver died with this request open: not acknowledged, so the sender would retry.
          unanswered++
        }
      }
    }
    const t1 = Date.now()
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, lane) => sender(lane)))
    await Promise.all(disruptions)
    const t2 = Date.now()

    // Wait until nothing is left to run.
    await expect.poll(async () => {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".executions WHERE status IN ('queued', 'started')`)
      return rows[0].n
    }, { timeout: 60_000, interval: 250 }).toBe(0)

    const t3 = Date.now()
    // The processes go before the schema does (afterAll drops it).
    for (const child of children) child.kill('SIGKILL')

    // Every acknowledged delivery: exactly one execution, resolved, and the one it was told.
    const { rows: executions } = await pool.query<{ id: string; status: string; delivery: string; attempts: number }>(
      `SELECT id, status, context->'body'->>'delivery' AS delivery, attempts FROM "${schema}".executions`,
    )
    const byDelivery = new Map<string, typeof executions>()
    for (const execution of executions) byDelivery.set(execution.delivery, [...(byDelivery.get(execution.delivery) ?? []), execution])
    const wrong = [...acknowledged].filter(([delivery, id]) => {
      const found = byDelivery.get(delivery) ?? []
      return !(found.length === 1 && found[0]!.id === id && found[0]!.status === 'resolved')
    })
    expect(wrong).toEqual([])
    expect(executions.filter((execution) => execution.status !== 'resolved')).toEqual([])

    // Each node of each execution ran once, or twice when the first run was the killed worker's
    // and its job had not been saved (the second worker found it unresolved).
    const { rows: runs } = await pool.query<{ execution_id: string; node_key: string; pids: number[] }>(
      `SELECT execution_id, node_key, array_agg(pid ORDER BY at) AS pids FROM "${schema}".node_runs GROUP BY execution_id, node_key`,
    )
    const doubles = runs.filter((run) => run.pids.length > 1)
    const badDoubles = doubles.filter((run) => run.pids.length > 2 || run.pids[0] !== killedPid || run.pids[1] === killedPid)
    expect(badDoubles).toEqual([])
    expect(runs.length).toBe(executions.length * 2)
    // The kill landed mid-run: some executions were claimed again after it.
    const taken = executions.filter((execution) => execution.attempts > 1).length
    expect(taken).toBeGreaterThan(0)
    console.log(`cluster: ${acknowledged.size} acknowledged, ${unanswered} unanswered, ${executions.length} executions, ${taken} taken over from the killed worker, ${doubles.length} node runs repeated after the kill; start ${t1 - t0} ms, deliveries ${t2 - t1} ms, drain ${t3 - t2} ms`)
  })
})
