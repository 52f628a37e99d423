/**
 * What every hand-written durable receiver does before it stores anything, as the node:http
 * baseline does it: route, method, Basic auth in constant time, JSON content type, the body
 * read under a 1 MiB limit, `JSON.parse`, the query parsed. `accept` gets the delivery's
 * context and answers once it is stored.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { PASSWORD, PATH_ASYNC, USERNAME } from '../../workload.js'

const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)
const LIMIT = 1_048_576

export interface Delivery {
  body: { id?: string; amount?: number }
  query: Record<string, string>
  headers: { 'x-request-id': string | undefined }
}

/** The branch every runner takes: the workload's condition on the amount. */
export const runBranch = (delivery: Delivery): { branch: 'true' | 'false' } => ({ branch: (delivery.body.amount ?? 0) > 1000 ? 'true' : 'false' })

export const answerOk = (res: ServerResponse): void => void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok')

export function handReceiver(accept: (delivery: Delivery, res: ServerResponse) => void): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const [path = '', search = ''] = (req.url ?? '').split('?')
    if (path !== PATH_ASYNC) return void res.writeHead(404).end()
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end()
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end()
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase()
    if (type !== 'application/json' && !type.endsWith('+json')) return void res.writeHead(415).end()
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > LIMIT) {
        req.removeAllListeners('data').removeAllListeners('end').resume()
        return void res.writeHead(413, { connection: 'close' }).end()
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      let body: Delivery['body']
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return void res.writeHead(400).end()
      }
      const query = Object.fromEntries(new URLSearchParams(search))
      const header = req.headers['x-request-id']
      accept({ body, query, headers: { 'x-request-id': Array.isArray(header) ? header[0] : header } }, res)
    })
  }
}
