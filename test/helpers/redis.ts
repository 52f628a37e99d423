/**
 * The Redis the integration tests use (`HOOKFLOW_REDIS_URL`, default `redis://127.0.0.1:6379`).
 * `redisAvailable()` is true when it answers PING; otherwise the caller's tests skip with the
 * printed reason, unless `HOOKFLOW_REQUIRE_SERVICES=1`, where an unreachable Redis fails the run.
 *
 * ```ts
 * const redis = await redisAvailable('bullmq queue')
 * describe.runIf(redis)('the BullMQ queue', () => { ... })
 * ```
 */
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { Queue } from 'bullmq'

export const REDIS_URL = process.env.HOOKFLOW_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Resolves with undefined when Redis answers PING, or with why not. */
function ping(url: string, timeoutMs = 2000): Promise<string | undefined> {
  const { hostname, port, password, username } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(port || 6379) })
    const done = (reason: string | undefined): void => {
      socket.destroy()
      resolve(reason)
    }
    socket.setTimeout(timeoutMs, () => done(`no answer from ${hostname}:${port || 6379} within ${timeoutMs} ms`))
    socket.once('error', (error) => done(error.message))
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
      if (answer.includes('+PONG\r\n')) done(undefined)
      else if (/(^|\n)-[^\r]*\r\n/.test(answer)) done(`Redis refused: ${answer.trim()}`)
    })
    socket.once('connect', () => {
      const auth = password ? `AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}\r\n` : ''
      socket.write(`${auth}PING\r\n`)
    })
  })
}

export async function redisAvailable(suite: string): Promise<boolean> {
  const reason = await ping(REDIS_URL)
  if (reason === undefined) return true
  const message = `Redis at ${REDIS_URL} is unreachable (${reason})`
  if (process.env.HOOKFLOW_REQUIRE_SERVICES === '1') throw new Error(`${message}, and HOOKFLOW_REQUIRE_SERVICES=1`)
  console.warn(`Skipping ${suite}: ${message}. Set HOOKFLOW_REDIS_URL to run it.`)
  return false
}

/** A key prefix of the test's own, so runs never see each other's queues. */
export function testPrefix(name: string): string {
  return `hftest-${name}-${randomBytes(4).toString('hex')}`
}

/** Removes every key of a BullMQ queue (jobs, events, meta). */
export async function obliterate(queueName: string, prefix: string): Promise<void> {
  const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix })
  try {
    await queue.obliterate({ force: true })
  } finally {
    await queue.close()
  }
}
