/**
 * The Node bridge alone: `createListener` with a fetch handler that does the baseline's work
 * (Basic auth, JSON body, branch, JSON answer) through the bridge's fast paths, and no
 * hookflow core or engine. What is left between it and the baseline is the bridge's own cost.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { createListener } from '../../dist/adapters/node/index.js'
import { PASSWORD, PATH_ASYNC, PATH_SYNC, USERNAME } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const READ_BYTES = Symbol.for('hookflow.read-bytes')
const PARTS = Symbol.for('hookflow.response-parts')
const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)
const LIMIT = 1_048_576

function answer(status: number, body: string, type: string): Response {
  // The shape the bridge writes straight to the socket (see src/http/light-response.ts).
  const response = Object.create(Response.prototype) as Response & { [PARTS]: unknown }
  response[PARTS] = { status, headers: [['content-type', type]], body }
  return response
}

const handler = {
  async fetch(request: Request): Promise<Response> {
    const url = request.url
    const q = url.indexOf('?')
    const path = url.slice(url.indexOf('/', 8), q === -1 ? undefined : q)
    const sync = path === PATH_SYNC
    if (!sync && path !== PATH_ASYNC) return answer(404, '', 'text/plain')
    if (request.method !== 'POST') return answer(405, '', 'text/plain')
    const given = Buffer.from(request.headers.get('authorization') ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(401, '', 'text/plain')
    const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
    if (type !== 'application/json' && !type.endsWith('+json')) return answer(415, '', 'text/plain')
    const read = (request as Request & { [READ_BYTES]: (limit: number, tooLarge: () => Error) => Promise<Uint8Array> })[READ_BYTES]
    const bytes = await read(LIMIT, () => new Error('too large'))
    const payload = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
    const query = Object.fromEntries(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)))
    const context = { body: payload, query, headers: { 'x-request-id': request.headers.get('x-request-id') } }
    const big = (context.body.amount ?? 0) > 1000
    if (!sync) return answer(200, 'ok', 'text/plain; charset=utf-8')
    const text = JSON.stringify(big ? { ok: true, id: payload.id, request: context.headers['x-request-id'] } : { ok: false, id: payload.id })
    return answer(big ? 200 : 400, text, 'application/json; charset=utf-8')
  },
}

serveBench(createServer(createListener(handler)))
