import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevProcess, makeTempFolder, runBin, startDev, tempFolder } from './run-bin.js'

// `hookflow send` against a `hookflow dev` whose workflows verify GitHub and Stripe signatures.

const GITHUB_SECRET = 'octo-secret'
const STRIPE_SECRET = 'whsec_stripe_test_secret'

function echo(key: string, signature: Record<string, unknown>): Record<string, unknown> {
  return {
    key,
    sync: true,
    trigger: { type: 'webhook', id: key, signature, request: { headers: [{ key: 'x-github-event' }] } },
    nodes: [{ key: 'r', type: 'response', config: { statusCode: 200, body: { event: '{{$context.headers.x-github-event}}', body: '{{$context.body}}' } } }],
  }
}

describe('hookflow send', () => {
  let dev: DevProcess
  let folder: ReturnType<typeof makeTempFolder>
  let url: (key: string) => string

  beforeAll(async () => {
    folder = makeTempFolder('send')
    writeFileSync(join(folder.path, 'signed.json'), JSON.stringify([
      echo('github', { scheme: 'github', secrets: [GITHUB_SECRET] }),
      echo('stripe', { scheme: 'stripe', secrets: [STRIPE_SECRET] }),
    ]))
    writeFileSync(join(folder.path, 'event.json'), JSON.stringify({ id: 'evt_1', type: 'charge.succeeded', amount: 2500 }, null, 2))
    dev = startDev(['dev', 'signed.json', '--port', '0', '--memory'], { cwd: folder.path })
    await dev.next((event) => event.event === 'listening')
    url = (key) => dev.events.find((event) => event.event === 'workflow' && event.key === key)!.url as string
  })

  afterAll(async () => {
    await dev.kill()
    folder.remove()
  })

  it('signs as GitHub does; the trigger verifies it and the answer is printed', async () => {
    const { code, stdout, stderr } = await runBin(
      ['send', url('github'), '--data', '@event.json', '--header', 'X-GitHub-Event: push', '--sign', 'github', '--secret', GITHUB_SECRET],
      { cwd: folder.path },
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const [status, ...rest] = stdout.split('\n')
    expect(status).toMatch(/^HTTP 200 OK {2}\(\d+ ms\)$/)
    expect(rest).toContain('content-type: application/json; charset=utf-8')
    expect(rest.find((line) => line.startsWith('x-execution-id: '))).toBeDefined()
    expect(JSON.parse(rest.at(-2)!)).toEqual({ event: 'push', body: { id: 'evt_1', type: 'charge.succeeded', amount: 2500 } })
  })

  it('signs as Stripe does; the trigger verifies it', async () => {
    const { code, stdout } = await runBin(['send', url('stripe'), '--data', '{"id":"evt_2"}', '--sign', 'stripe', '--secret', STRIPE_SECRET, '--json'])
    expect(code).toBe(0)
    const answer = JSON.parse(stdout)
    expect(answer).toMatchObject({ status: 200, body: { body: { id: 'evt_2' } }, request: { method: 'POST', url: url('stripe') } })
    expect(answer.request.signed['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(answer.headers['x-execution-id']).toEqual(expect.any(String))
  })

  it('exits 1 when a wrong secret is refused with 401, printing the answer', async () => {
    for (const [key, secret] of [['github', 'not-the-secret'], ['stripe', 'whsec_wrong']]) {
      const { code, stdout, stderr } = await runBin(['send', url(key!), '--data', '{"id":"evt_3"}', '--sign', key!, '--secret', secret!])
      expect(code).toBe(1)
      expect(stdout).toMatch(/^HTTP 401 Unauthorized/)
      expect(stdout).toContain('"code":"signature_invalid"')
      expect(stderr).toBe('hookflow send: the server answered 401 Unauthorized\n')
    }
  })

  it('reads the secret from the environment variable named by --secret-env', async () => {
    const { code } = await runBin(['send', url('github'), '--data', '{}', '--sign', 'github', '--secret-env', 'HOOK_SECRET'], { env: { HOOK_SECRET: GITHUB_SECRET } })
    expect(code).toBe(0)
  })

  it('reads the body from stdin with --data -', async () => {
    const { code, stdout } = await runBin(['send', url('github'), '--data', '-', '--sign', 'github', '--secret', GITHUB_SECRET, '--json'], { input: '{"from":"stdin"}' })
    expect(code).toBe(0)
    expect(JSON.parse(stdout).body.body).toEqual({ from: 'stdin' })
  })

  it('exits 1 with one line when nothing answers at the URL', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise((resolve) => closed.close(resolve))
    const target = `http://127.0.0.1:${port}/api/webhook:trigger/x`
    const { code, stdout, stderr } = await runBin(['send', target, '--data', '{}'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(`hookflow send: could not deliver to ${target}: ECONNREFUSED\n`)
  })

  it('exits 2 for a scheme it does not know, and for --sign without a secret', async () => {
    const unknown = await runBin(['send', 'http://127.0.0.1:1/x', '--sign', 'paypal', '--secret', 's'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--sign must be one of standard-webhooks, github, stripe, slack, shopify, twilio, hmac')
    const secretless = await runBin(['send', 'http://127.0.0.1:1/x', '--sign', 'github'])
    expect(secretless.code).toBe(2)
    expect(secretless.stderr).toContain('--sign github needs --secret or --secret-env')
  })

  it('exits 1 naming the file for --data @file that does not exist', async () => {
    const cwd = tempFolder('send')
    const { code, stderr } = await runBin(['send', 'http://127.0.0.1:1/x', '--data', '@missing.json'], { cwd })
    expect([code, stderr]).toEqual([1, 'hookflow send: cannot read missing.json: no such file\n'])
  })
})
