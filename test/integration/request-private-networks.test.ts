import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine, type CreateEngineOptions, type NodeDefinition } from '../../src/index.js'
import { setup } from '../helpers/webhook.js'
import { answer, callFlow, jobOf, syncFlow } from '../nodes/node-flows.js'

// createEngine({ requestNode: { denyPrivateNetworks: true } }) against a real server on
// 127.0.0.1, which the option must refuse: the addresses checked are the ones connected to.

let server: Server
let port = 0
const seen: string[] = []

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req.url ?? '')
  if (req.url === '/rebind') {
    // A same-origin redirect on a closed connection: the next hop connects (and resolves) again.
    return void res.writeHead(302, { location: '/echo', connection: 'close' }).end()
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }))
}

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const DENY: CreateEngineOptions = { requestNode: { denyPrivateNetworks: true } }

function call(url: string, options: CreateEngineOptions, config: Record<string, unknown> = {}): ReturnType<typeof callFlow> {
  const nodes: NodeDefinition[] = [
    { key: 'call', type: 'request', config: { method: 'GET', url, timeout: 10_000, ...config } },
    answer({ result: '{{$jobsMapByNodeKey.call}}' }),
  ]
  const { engine, trigger } = setup([syncFlow('req', nodes)], { engine: options })
  return callFlow(engine, trigger, 'req')
}

describe('createEngine({ requestNode: { denyPrivateNetworks: true } })', () => {
  it('refuses the loopback test server with request_address_denied, and the server sees nothing', async () => {
    const before = seen.length
    const { status, execution } = await call(`http://127.0.0.1:${port}/echo?token=s3cret`, DENY)
    expect(status).toBe(500)
    const error = jobOf(execution, 'call').error
    expect(error).toMatchObject({ code: 'request_address_denied' })
    expect(error?.message).toContain(`GET http://127.0.0.1:${port}/echo refused: 127.0.0.1 is a loopback address`)
    expect(JSON.stringify(execution)).not.toContain('s3cret')
    expect(seen.length).toBe(before)
  })

  it('reaches the same server with the option off', async () => {
    const { body } = await call(`http://127.0.0.1:${port}/echo`, {}, { onlyData: true })
    expect(body).toEqual({ result: { url: '/echo' } })
  })

  it('checks the address a host name resolves to: localhost is refused', async () => {
    const before = seen.length
    const { execution } = await call(`http://localhost:${port}/echo`, DENY)
    expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_address_denied', message: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/) })
    expect(seen.length).toBe(before)
  })

  it.each([
    ['IPv6 loopback', 'http://[::1]:9/x', 'loopback'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:9/x', 'loopback'],
    ['link-local cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['IPv6 link-local', 'http://[fe80::1]:9/x', 'link-local'],
    ['private 10/8', 'http://10.0.0.1:9/x', 'private'],
    ['private 192.168/16', 'http://192.168.1.1:9/x', 'private'],
    ['IPv6 unique local', 'http://[fd00::1]:9/x', 'unique local'],
    ['the unspecified address', 'http://0.0.0.0:9/x', 'unspecified'],
    ['loopback written in hex', 'http://0x7f.1:9/x', 'loopback'],
  ])('refuses %s before connecting', async (_, url, kind) => {
    const { execution } = await call(url, DENY)
    const error = jobOf(execution, 'call').error
    expect(error).toMatchObject({ code: 'request_address_denied' })
    expect(error?.message).toContain(`a ${kind}`)
  })

  it('refuses a name that resolves to a public and a private address', async () => {
    const resolve = async (): Promise<string[]> => ['93.184.215.14', '10.0.0.7']
    const { execution } = await call(`http://api.example.test:${port}/echo`, { requestNode: { denyPrivateNetworks: true, resolve } })
    expect(jobOf(execution, 'call').error?.message).toContain('api.example.test resolves to 10.0.0.7, a private address')
  })

  it('checks every redirect hop: a same-origin redirect whose name now resolves to a denied address is refused', async () => {
    let lookups = 0
    // The first answer is the allowed test server, the next one a denied address: DNS rebinding.
    const resolve = async (): Promise<string[]> => (++lookups === 1 ? ['127.0.0.1'] : ['127.0.0.2'])
    const before = seen.length
    const { execution } = await call(`http://rebind.test:${port}/rebind`, { requestNode: { denyPrivateNetworks: true, allowNetworks: ['127.0.0.1'], resolve } })
    const error = jobOf(execution, 'call').error
    expect(error).toMatchObject({ code: 'request_address_denied' })
    expect(error?.message).toContain('rebind.test resolves to 127.0.0.2, a loopback address')
    expect(seen.slice(before)).toEqual(['/rebind'])
    expect(lookups).toBe(2)
  })

  it('lets an allowed network through, and follows a redirect within it', async () => {
    const { body } = await call(`http://127.0.0.1:${port}/rebind`, { requestNode: { denyPrivateNetworks: true, allowNetworks: ['127.0.0.1/32'] } }, { onlyData: true })
    expect(body).toEqual({ result: { url: '/echo' } })
  })

  it('makes the refusal the result with ignoreFail', async () => {
    const { body } = await call(`http://127.0.0.1:${port}/echo`, DENY, { ignoreFail: true })
    expect(body.result).toMatchObject({ status: 0, data: null, error: { code: 'request_address_denied' } })
  })

  it('refuses a redirect to another host, a private one included, by the same-origin rule', async () => {
    const other = createServer((_req, res) => void res.writeHead(302, { location: `http://127.0.0.1:${port}/echo` }).end())
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve))
    try {
      const before = seen.length
      const { execution } = await call(`http://127.0.0.2:${(other.address() as AddressInfo).port}/`, { requestNode: { denyPrivateNetworks: true, allowNetworks: ['127.0.0.2'] } })
      expect(jobOf(execution, 'call').error).toMatchObject({ code: 'request_redirect_refused' })
      expect(seen.length).toBe(before)
    } finally {
      other.closeAllConnections()
      await new Promise<void>((resolve) => other.close(() => resolve()))
    }
  })

  it('refuses options that cannot work, naming the fix', () => {
    expect(() => createEngine({ requestNode: { allowNetworks: ['10.0.0.0/8'] } })).toThrow(/apply with denyPrivateNetworks: true/)
    expect(() => createEngine({ requestNode: { denyPrivateNetworks: true, allowNetworks: ['10.0.0.0/33'] } })).toThrow(
      'requestNode.allowNetworks: "10.0.0.0/33" is not an IP address or CIDR range',
    )
  })
})
