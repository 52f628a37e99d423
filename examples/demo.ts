/**
 * `npm run demo`: a real HTTP server on the embedded SQLite store, a handful of real webhook
 * deliveries (good, bad credentials, wrong method, bad JSON, both condition branches, async),
 * each answer printed, then the execution records. Exits non-zero if any answer is not the
 * one the contract promises.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, WebhookTrigger } from '../src/index.js'
import { createListener } from '../src/adapters/node/index.js'
import { createSqliteStore } from '../src/storage/sqlite/index.js'
import { paymentCallback } from './workflows/payment-callback.js'
import { orderNotification } from './workflows/order-notification.js'
import { notifyNode } from './workflows/notify-node.js'

// The embedded durable default: one SQLite file, made afresh for each demo run.
const filename = '.hookflow/demo.db'
mkdirSync('.hookflow', { recursive: true })
for (const suffix of ['', '-wal', '-shm']) rmSync(filename + suffix, { force: true })
const engine = createEngine({ store: createSqliteStore({ filename }), nodeTypes: [notifyNode] })
engine.register(paymentCallback)
engine.register(orderNotification)
await engine.start()
const trigger = new WebhookTrigger({ engine })

const server = createServer(createListener(trigger))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
console.log(`hookflow demo listening on ${origin} (store: SQLite file ${filename})\n`)

const auth = `Basic ${Buffer.from('webhook:secret').toString('base64')}`
const json = { 'content-type': 'application/json' }
const pay = trigger.urlFor('payment-callback', origin)
const orders = `${trigger.urlFor('order-notification', origin)}?source=demo`

const deliveries: Array<{ label: string; expect: number; url: string; init: RequestInit }> = [
  { label: 'sync, amount 2500 (true branch)', expect: 200, url: pay, init: { method: 'POST', headers: { ...json, authorization: auth, 'x-request-id': 'req-1' }, body: JSON.stringify({ id: 'pay_1', amount: 2500 }) } },
  { label: 'sync, amount 20 (false branch)', expect: 400, url: pay, init: { method: 'POST', headers: { ...json, authorization: auth }, body: JSON.stringify({ id: 'pay_2', amount: 20 }) } },
  { label: 'wrong password', expect: 401, url: pay, init: { method: 'POST', headers: { ...json, authorization: `Basic ${Buffer.from('webhook:nope').toString('base64')}` }, body: '{}' } },
  { label: 'GET instead of POST', expect: 405, url: pay, init: { method: 'GET', headers: { authorization: auth } } },
  { label: 'malformed JSON', expect: 400, url: pay, init: { method: 'POST', headers: { ...json, authorization: auth }, body: '{"amount": ' } },
  { label: 'text/plain body', expect: 415, url: pay, init: { method: 'POST', headers: { 'content-type': 'text/plain', authorization: auth }, body: 'hello' } },
  { label: 'async order, paid', expect: 202, url: orders, init: { method: 'POST', headers: { ...json, 'x-request-id': 'req-7' }, body: JSON.stringify({ order: { id: 'ord_7', status: 'paid' } }) } },
  { label: 'unknown webhook id', expect: 404, url: `${origin}/api/webhook:trigger/nope`, init: { method: 'POST' } },
]

let failures = 0
for (const { label, expect, url, init } of deliveries) {
  const response = await fetch(url, init)
  const body = await response.text()
  const ok = response.status === expect
  if (!ok) failures++
  const id = response.headers.get('x-execution-id')
  console.log(`${ok ? 'ok ' : 'BAD'} ${label.padEnd(34)} ${response.status} ${body}${id ? `  [execution ${id.slice(-8)}]` : ''}`)
}

await engine.idle()
console.log('\nexecutions (newest first):')
for (const summary of await engine.listExecutions()) {
  const execution = await engine.getExecution(summary.id)
  const jobs = execution?.jobs.map((job) => `${job.nodeKey}:${job.status}`).join(' ') ?? ''
  console.log(`  ${summary.id.slice(-8)} ${summary.workflowKey.padEnd(19)} ${summary.status.padEnd(9)} ${jobs}`)
}

server.close()
await engine.close()
if (failures > 0) {
  console.error(`\n${failures} answer(s) differed from the contract`)
  process.exitCode = 1
} else {
  console.log('\nall answers as expected')
}
