/**
 * A stand-in inventory service for the order example: `POST /reserve` with
 * `{ orderId, lines: [{ sku, qty }] }` answers `{ available, reservationId, lines, missing }`,
 * pricing each line from a small catalog. It listens on a free port of 127.0.0.1.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

const catalog: Record<string, { price: number; stock: number }> = {
  'TEA-1': { price: 12.5, stock: 40 },
  'MUG-2': { price: 9.9, stock: 3 },
  'KETTLE-3': { price: 79, stock: 5 },
}

interface ReserveRequest {
  orderId?: string
  lines?: Array<{ sku: string; qty: number }>
}

async function readJson(req: IncomingMessage): Promise<ReserveRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReserveRequest
}

function reserve({ orderId, lines = [] }: ReserveRequest): Record<string, unknown> {
  const priced = lines.map(({ sku, qty }) => {
    const item = Object.hasOwn(catalog, sku) ? catalog[sku] : undefined
    return { sku, qty, inStock: !!item && item.stock >= qty, unitPrice: item?.price ?? 0, lineTotal: Math.round((item?.price ?? 0) * qty * 100) / 100 }
  })
  const missing = priced.filter((line) => !line.inStock).map((line) => line.sku)
  return { available: missing.length === 0, reservationId: missing.length === 0 ? `res-${orderId}` : null, lines: priced, missing }
}

export interface InventoryService {
  url: string
  /** Reservations asked for so far. */
  calls: number
  close(): Promise<void>
}

export async function startInventoryService(): Promise<InventoryService> {
  const service = { url: '', calls: 0, close: async () => undefined } as InventoryService
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/reserve') return void res.writeHead(404).end()
    service.calls++
    readJson(req).then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reserve(body))),
      () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}'),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  service.close = () => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return service
}
