/**
 * The practical limit in Fastify 5: a hand-written route doing the work of baseline.ts, written
 * the way a Fastify app would: Basic auth in constant time in the route's `onRequest` hook
 * (before the body is read, as hookflow and the baseline do), Fastify's own JSON parser (415 for
 * another type, 413 over its 1 MiB `bodyLimit`, 400 for bad JSON), its query parser, the branch
 * and a JSON answer. Same app settings as fastify-hookflow.ts.
 */
import { timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import { PASSWORD, PATH_SYNC, USERNAME } from '../workload.js'
import { benchListening } from '../lib/serve-bench.js'

const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)
// find-my-way reads `:trigger` as a parameter; `::` is a literal colon.
const ROUTE = PATH_SYNC.replaceAll(':', '::')

const app = Fastify({ logger: false, keepAliveTimeout: 60_000 })
// Fastify also parses text/plain by default; the route takes JSON only, as hookflow does.
app.removeContentTypeParser('text/plain')

app.post<{ Body: { id?: string; amount?: number }; Headers: { 'x-request-id'?: string } }>(ROUTE, {
  onRequest: (request, reply, done) => {
    const given = Buffer.from(request.headers.authorization ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void reply.code(401).send()
    done()
  },
  handler: async (request, reply) => {
    const payload = request.body
    const context = { body: payload, query: request.query, headers: { 'x-request-id': request.headers['x-request-id'] } }
    const big = (context.body.amount ?? 0) > 1000
    return reply.code(big ? 200 : 400).send(big ? { ok: true, id: payload.id, request: context.headers['x-request-id'] } : { ok: false, id: payload.id })
  },
})

await app.listen({ port: 0, host: '127.0.0.1' })
benchListening(app.server)
