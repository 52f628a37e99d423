/**
 * The practical limit in Express 5: a hand-written route doing the work of baseline.ts (Basic
 * auth in constant time, JSON content type, body read with a byte limit, JSON parse, query
 * parse, branch, JSON answer), written the way an Express app would: `express.raw` reads the
 * bytes, the handler checks and parses them. Same app settings as express-hookflow.ts.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import express, { type Request, type Response } from 'express'
import { PASSWORD, PATH_SYNC, USERNAME } from '../workload.js'
import { serveBench } from '../lib/serve-bench.js'

const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)
// Express 5's path-to-regexp reads `:trigger` as a parameter; `\:` is a literal colon.
const ROUTE = PATH_SYNC.replaceAll(':', '\\:')

const app = express()
// hookflow's answers carry no ETag; without this the hand route would hash every body.
app.set('etag', false)

app.post(ROUTE, express.raw({ type: '*/*', limit: '1mb' }), (req: Request, res: Response) => {
  const given = Buffer.from(req.headers.authorization ?? '')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.status(401).end()
  if (!req.is(['json', '+json'])) return void res.status(415).end()
  let payload: { id?: string; amount?: number }
  try {
    payload = JSON.parse((req.body as Buffer).toString('utf8'))
  } catch {
    return void res.status(400).end()
  }
  const context = { body: payload, query: req.query, headers: { 'x-request-id': req.headers['x-request-id'] } }
  const big = (context.body.amount ?? 0) > 1000
  res.status(big ? 200 : 400).json(big ? { ok: true, id: payload.id, request: context.headers['x-request-id'] } : { ok: false, id: payload.id })
})

serveBench(createServer(app))
