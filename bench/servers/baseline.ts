/**
 * The practical limit: a hand-written node:http handler doing the same work as the hookflow
 * workflow (route, method, Basic auth in constant time, JSON content type, body read with a
 * byte limit, JSON parse, query parse, branch, JSON answer). MODE=async answers `ok` first and
 * does the branch after, as an async webhook would.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { PASSWORD, PATH_ASYNC, PATH_SYNC, USERNAME } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)
const LIMIT = 1_048_576

const server = createServer((req, res) => {
  const [path = '', search = ''] = (req.url ?? '').split('?')
  const sync = path === PATH_SYNC
  if (!sync && path !== PATH_ASYNC) return void res.writeHead(404).end()
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
      // Answer once, discard the rest and close; more 'data' or 'end' must not answer again.
      req.removeAllListeners('data').removeAllListeners('end').resume()
      return void res.writeHead(413, { connection: 'close' }).end()
    }
    chunks.push(chunk)
  })
  req.on('end', () => {
    let payload: { id?: string; amount?: number }
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return void res.writeHead(400).end()
    }
    const query = Object.fromEntries(new URLSearchParams(search))
    const context = { body: payload, query, headers: { 'x-request-id': req.headers['x-request-id'] } }
    const big = (context.body.amount ?? 0) > 1000
    if (!sync) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok')
      return
    }
    const answer = JSON.stringify(big ? { ok: true, id: payload.id, request: context.headers['x-request-id'] } : { ok: false, id: payload.id })
    res.writeHead(big ? 200 : 400, { 'content-type': 'application/json; charset=utf-8' }).end(answer)
  })
})

serveBench(server)
