/**
 * What both hand-written Express receivers do before they store anything: Express 5 with
 * `express.json()` (1 MiB), Basic auth in constant time, and the delivery as the other
 * receivers pass it on. `accept` stores it and answers.
 */
import { timingSafeEqual } from 'node:crypto'
import express, { type Express, type Response } from 'express'
import { PASSWORD, PATH_ASYNC, USERNAME } from '../../workload.js'
import type { Delivery } from './hand-receive.js'

const expected = Buffer.from(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`)

export function expressReceiver(accept: (delivery: Delivery, res: Response) => Promise<void>): Express {
  const app = express()
  app.set('etag', false)
  // Express 5's path-to-regexp reads `:trigger` as a parameter; `\:` is a literal colon.
  app.post(PATH_ASYNC.replaceAll(':', '\\:'), express.json({ limit: '1mb' }), async (req, res) => {
    const given = Buffer.from(req.get('authorization') ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.status(401).end()
    await accept({ body: req.body as Delivery['body'], query: req.query as Record<string, string>, headers: { 'x-request-id': req.get('x-request-id') } }, res)
  })
  return app
}
