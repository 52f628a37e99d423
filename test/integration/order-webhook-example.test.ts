import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInventoryService, type InventoryService } from '../../examples/inventory-service.js'
import { fraudScore, orderWebhook } from '../../examples/workflows/order-webhook.js'
import { basic, idPath, post, settledExecution, setup } from '../helpers/webhook.js'

let inventory: InventoryService
beforeAll(async () => {
  inventory = await startInventoryService()
})
afterAll(() => inventory.close())

function shop() {
  return setup([orderWebhook(inventory.url)], { engine: { functions: { fraudScore } } })
}

function order(body: unknown): Request {
  return post(idPath('orders-3kq9'), body, { headers: { authorization: basic('shop', 'order-secret') } })
}

describe('examples/order-webhook: eight node types in one sync workflow', () => {
  it('confirms a small order with shipping, the reservation in a header', async () => {
    const { engine, trigger } = shop()
    const response = await trigger.fetch(order({ id: 'T-1', customer: { email: 'a@example.com' }, items: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'MUG-2', quantity: 1 }] }))
    expect(response.status).toBe(200)
    expect(response.headers.get('x-reservation')).toBe('res-T-1')
    expect(await response.json()).toEqual({ orderId: 'T-1', subtotal: 34.9, shipping: 4.9, total: 39.8 })
    const execution = await settledExecution(engine, response)
    expect(execution.status).toBe('resolved')
    expect(new Set(execution.jobs.map((job) => job.type))).toEqual(
      new Set(['json-query', 'request', 'calculation', 'variable', 'condition', 'code', 'multi-conditions', 'response']),
    )
  })

  it('drops shipping from 100 on', async () => {
    const { trigger } = shop()
    const response = await trigger.fetch(order({ id: 'T-2', customer: { email: 'a@example.com' }, items: [{ sku: 'KETTLE-3', quantity: 2 }] }))
    expect(await response.json()).toEqual({ orderId: 'T-2', subtotal: 158, shipping: 0, total: 158 })
  })

  it('answers 409 with the missing SKUs when stock is short', async () => {
    const { trigger } = shop()
    const response = await trigger.fetch(order({ id: 'T-3', customer: { email: 'a@example.com' }, items: [{ sku: 'MUG-2', quantity: 9 }, { sku: 'TEA-1', quantity: 1 }] }))
    expect(response.status).toBe(409)
    expect(await response.json()).toEqual({ error: 'out_of_stock', missing: ['MUG-2'] })
  })

  it('holds an order from a disposable address for review', async () => {
    const { trigger } = shop()
    const response = await trigger.fetch(order({ id: 'T-4', customer: { email: 'z@mailinator.com' }, items: [{ sku: 'TEA-1', quantity: 1 }] }))
    expect(response.status).toBe(202)
    expect(await response.json()).toMatchObject({ status: 'held for review' })
  })

  it('runs as a script with npx tsx and reports every answer as expected', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/order-webhook.ts'], { timeout: 60_000 })
    expect(stdout).toContain('all answers as expected')
    expect(stdout).not.toContain('BAD')
  }, 60_000)
})
