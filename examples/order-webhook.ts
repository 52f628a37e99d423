/**
 * `npx tsx examples/order-webhook.ts`: the node library at work. It starts a stand-in
 * inventory service and hookflow on node:http, delivers four orders to a sync workflow that
 * uses eight node types (see `workflows/order-webhook.ts`), prints each answer and the jobs
 * that ran, and exits non-zero if an answer is not the expected one.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, WebhookTrigger } from '../src/index.js'
import { createListener } from '../src/adapters/node/index.js'
import { startInventoryService } from './inventory-service.js'
import { fraudScore, orderWebhook } from './workflows/order-webhook.js'

const inventory = await startInventoryService()
const engine = createEngine({ functions: { fraudScore } })
engine.register(orderWebhook(inventory.url))
const trigger = new WebhookTrigger({ engine })
const server = createServer(createListener(trigger))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = trigger.urlFor('order-webhook', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
console.log(`order webhook at ${url}\ninventory service at ${inventory.url}\n`)

const customer = { email: 'ada@example.com' }
const orders = [
  { label: 'small order, shipping charged', expect: 200, body: { id: 'A-100', customer, items: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'MUG-2', quantity: 1 }] } },
  { label: 'large order, free shipping', expect: 200, body: { id: 'A-101', customer, items: [{ sku: 'KETTLE-3', quantity: 2 }] } },
  { label: 'not enough mugs', expect: 409, body: { id: 'A-102', customer, items: [{ sku: 'MUG-2', quantity: 9 }] } },
  { label: 'disposable email', expect: 202, body: { id: 'A-103', customer: { email: 'x@mailinator.com' }, items: [{ sku: 'TEA-1', quantity: 1 }] } },
]

const authorization = `Basic ${Buffer.from('shop:order-secret').toString('base64')}`
let failures = 0
for (const { label, expect, body } of orders) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) })
  const text = await response.text()
  const ok = response.status === expect
  if (!ok) failures++
  console.log(`${ok ? 'ok ' : 'BAD'} ${label.padEnd(30)} ${response.status} ${text}`)
  await engine.idle()
  const execution = await engine.getExecution(response.headers.get('x-execution-id') ?? '')
  console.log(`    jobs: ${execution?.jobs.map((job) => `${job.nodeKey}(${job.type})`).join(' → ')}`)
}

server.close()
await engine.close()
await inventory.close()
if (failures > 0) {
  console.error(`\n${failures} answer(s) were not the expected ones`)
  process.exitCode = 1
} else {
  console.log('\nall answers as expected')
}
