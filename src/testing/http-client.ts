/**
 * @module
 * The matrix suite's client side: real requests over real sockets (global fetch, and node:http
 * where fetch hides what matters: chunked uploads, raw header lines), answers reduced to what a
 * webhook sender sees, and the comparison with the core's own answer to the same request.
 */
import http from 'node:http'
import { expect } from 'vitest'

/** An answer as the client saw it. */
export interface Answer {
  status: number
  headers: Headers
  /** Raw `name: value` header lines, in order (node:http requests only). */
  lines: Array<[string, string]>
  body: Uint8Array
}

/** Headers compared on every answer, present or not; all headers of the core's answer are compared too. */
const COMPARED = ['content-type', 'x-execution-id', 'allow', 'www-authenticate', 'retry-after', 'set-cookie', 'location', 'cache-control']
/** Framing and per-connection headers: the server's business, not the answer's. */
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

export const REQUEST_TIMEOUT = 10_000

/** Global fetch, bounded in time, with the whole body read. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const signal = init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT)
  return answerOf(await fetch(url, { ...init, signal, redirect: 'manual' }), [])
}

export async function answerOf(response: Response, lines: Array<[string, string]>): Promise<Answer> {
  return { status: response.status, headers: response.headers, lines, body: new Uint8Array(await response.arrayBuffer()) }
}

export interface RawInit {
  method?: string
  headers?: Record<string, string>
  /** Written one by one with backpressure; without `content-length` they go out chunked. */
  chunks?: Iterable<Uint8Array>
}

/**
 * node:http, bounded in time. Resolves with the answer even if the server answers before the
 * body is sent; rejects if the connection fails first (a reset instead of an answer).
 */
export function sendRaw(url: string, init: RawInit = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'POST', headers: init.headers, timeout: REQUEST_TIMEOUT })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT} ms`)))
    req.on('error', reject)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const lines: Array<[string, string]> = []
        const headers = new Headers()
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const [name, value] = [res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]
          lines.push([name, value])
          headers.append(name, value)
        }
        resolve({ status: res.statusCode ?? 0, headers, lines, body: new Uint8Array(Buffer.concat(chunks)) })
      })
    })
    void (async () => {
      for (const chunk of init.chunks ?? []) {
        if (req.destroyed) return
        if (!req.write(chunk)) await drainedOrClosed(req)
      }
      if (!req.destroyed) req.end()
    })()
  })
}

function drainedOrClosed(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done).off('close', done)
      resolve()
    }
    req.on('drain', done).on('close', done)
  })
}

/** What two answers to the same request must share: status, the headers that matter, body bytes. */
export function comparable(answer: Answer, names: Iterable<string>): { status: number; headers: Record<string, unknown>; body: string } {
  const id = answer.headers.get('x-execution-id')
  // Each request makes its own execution: the id may differ, its presence and its uses may not.
  const mask = (text: string): string => (id ? text.replaceAll(id, '<execution-id>') : text)
  const headers: Record<string, unknown> = {}
  for (const name of names) {
    if (FRAMING.has(name)) continue
    headers[name] = name === 'set-cookie' ? answer.headers.getSetCookie().map(mask) : mask(answer.headers.get(name) ?? '<absent>')
  }
  return { status: answer.status, headers, body: mask(Buffer.from(answer.body).toString('latin1')) }
}

/** Fails unless `actual` (over the socket) and `expected` (the core's own answer) are the same answer. */
export function expectSameAnswer(actual: Answer, expected: Answer): void {
  const names = new Set([...COMPARED, ...expected.headers.keys()])
  expect(comparable(actual, names)).toEqual(comparable(expected, names))
}

export function text(answer: Answer): string {
  return Buffer.from(answer.body).toString('utf8')
}

export function json(answer: Answer): unknown {
  return JSON.parse(text(answer))
}
