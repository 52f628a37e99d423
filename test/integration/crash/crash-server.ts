/**
 * A hookflow server on the SQLite store, for the crash tests: an async workflow whose `step`
 * nodes append a line per run to a log file (so the test can count runs), and a `hold` node
 * that waits while a file exists (so the test can kill the process at a known point), and
 * writes `<HOLD>.reached` once it holds: every job before it is saved by then.
 * `GET /__executions` answers the stored executions with their jobs.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, defineNode, WebhookTrigger } from '../../../src/index.js'
import { createListener } from '../../../src/adapters/node/index.js'
import { createSqliteStore } from '../../../src/storage/sqlite/index.js'

function env(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`crash-server needs ${name}`)
  return value
}
const [DB, LOG, HOLD, LAYOUT] = ['DB', 'LOG', 'HOLD', 'LAYOUT'].map(env) as [string, string, string, string]

const step = defineNode({
  type: 'crash.step',
  run: ({ node, execution }) => {
    appendFileSync(LOG, `${execution.id} ${node.key}\n`)
    return node.key
  },
})

const hold = defineNode<{ holdAt?: number; index?: number }>({
  type: 'crash.hold',
  run: ({ config }) =>
    new Promise<string>((resolve) => {
      // In a loop body it holds on one pass only.
      if (config.holdAt !== undefined && config.index !== config.holdAt) return resolve('passed')
      if (existsSync(HOLD)) writeFileSync(`${HOLD}.reached`, '')
      const check = (): void => (existsSync(HOLD) ? void setTimeout(check, 10) : resolve('released'))
      check()
    }),
})

const steps = ['one', 'two', 'three'].map((key) => ({ key, type: 'crash.step' }))
const holdNode = { key: 'hold', type: 'crash.hold' }
const loop = {
  key: 'each',
  type: 'loop',
  config: { target: 3 },
  branches: { body: [steps[0]!, { ...holdNode, config: { holdAt: 1, index: '{{$scopes.each.index}}' } }] },
}
const nodes =
  LAYOUT === 'start' ? [holdNode, ...steps]
  : LAYOUT === 'middle' ? [steps[0]!, holdNode, ...steps.slice(1)]
  : LAYOUT === 'loop' ? [loop, steps[1]!]
  : steps

const store = createSqliteStore({ filename: DB })
const engine = createEngine({
  store,
  queue: store.createQueue({ pollIntervalMs: 25 }),
  nodeTypes: [step, hold],
  // Short claims, so a restarted process takes over the dead one's runs quickly; not so short
  // that a busy machine's late heartbeat lets this process's own poll claim a run it holds.
  leaseMs: 1_000,
})
engine.register({ key: 'crash', trigger: { type: 'webhook', id: 'crash', request: { headers: [{ key: 'x-delivery' }] } }, nodes })
await engine.start()

const listener = createListener(new WebhookTrigger({ engine }))
const server = createServer(async (req, res) => {
  if (req.url !== '/__executions') return listener(req, res)
  const executions = await Promise.all((await engine.listExecutions({ limit: 1000 })).map((e) => engine.getExecution(e.id)))
  res.setHeader('content-type', 'application/json').end(JSON.stringify(executions))
})
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`))
