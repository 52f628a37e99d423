/**
 * @module
 * The `request` node's transport when the engine denies private networks
 * (`createEngine({ requestNode: { denyPrivateNetworks: true } })`): node:http and node:https
 * with a `lookup` hook, so the address checked is the address connected to. A host name is
 * resolved, every address it gives is checked (`private-networks.ts`), and the socket connects
 * to a checked one: a DNS answer that changes between a check and the connection (rebinding)
 * cannot slip through. Address literals are checked before connecting; each redirect is a
 * request of its own, checked the same way. Its own keep-alive agents hold its sockets, so none
 * opened by unchecked code is reused. The answer is a standard `Response` with the body
 * decoded (gzip, deflate, br), as `fetch` gives it.
 *
 * ```ts
 * const transport = await createGuardedTransport({ allowNetworks: ['10.1.2.0/24'] })
 * await transport(new URL('http://127.0.0.1/'), init)   // rejects: request_address_denied
 * ```
 */
import type * as Http from 'node:http'
import type * as Https from 'node:https'
import type * as Dns from 'node:dns'
import type * as Net from 'node:net'
import type * as Zlib from 'node:zlib'
import type * as Stream from 'node:stream'
import { HookflowError } from '../../errors/hookflow-error.js'
import { type AddressCheck, createAddressCheck } from './private-networks.js'
import type { Transport } from './send-request.js'

/**
 * Resolves a host name to its addresses (`['93.184.215.14', '2606:2800::1']`).
 *
 * @example
 * ```ts
 * import { lookup } from 'node:dns/promises'
 * import { createEngine, type ResolveHost } from 'hookflow'
 *
 * const resolve: ResolveHost = async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address)
 * const engine = createEngine({ requestNode: { denyPrivateNetworks: true, resolve } })
 * ```
 */
export type ResolveHost = (hostname: string) => Promise<readonly string[]>

export interface GuardOptions {
  /** Addresses and CIDR ranges allowed although private (`['10.1.2.0/24']`). */
  allowNetworks?: readonly string[]
  /** Name resolution; default `dns.lookup` with every address. Each address it gives is checked. */
  resolve?: ResolveHost
}

interface NodeModules {
  http: typeof Http
  https: typeof Https
  dns: typeof Dns
  net: typeof Net
  zlib: typeof Zlib
  stream: typeof Stream
}

// Named through a variable so a bundler for a runtime without them (Workers) never tries to
// resolve Node's modules for the main entry: they load only when the guard is used.
async function loadNodeModules(): Promise<NodeModules> {
  const load = (name: string): Promise<any> => import(name)
  const [http, https, dns, net, zlib, stream] = await Promise.all(['node:http', 'node:https', 'node:dns', 'node:net', 'node:zlib', 'node:stream'].map(load))
  return { http, https, dns, net, zlib, stream }
}

export function addressDenied(hostname: string, address: string, kind: string): HookflowError {
  const resolved = hostname === address ? `${address} is` : `${hostname} resolves to ${address},`
  return new HookflowError(
    'request_address_denied',
    `${resolved} a ${kind} address: this engine denies private networks (createEngine({ requestNode: { denyPrivateNetworks: true } }); allowNetworks lets one through)`,
  )
}

type LookupCallback = (error: Error | null, address: string | Dns.LookupAddress[], family?: number) => void

function guardedLookup(net: typeof Net, resolve: ResolveHost, check: AddressCheck): Net.LookupFunction {
  return ((hostname: string, options: Dns.LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
        for (const address of addresses) {
          const kind = check(address)
          if (kind !== undefined) return callback(addressDenied(hostname, address, kind), [])
        }
        const all = addresses.map((address) => ({ address, family: net.isIP(address) }))
        const wanted = options.family === 4 || options.family === 6 ? all.filter((entry) => entry.family === options.family) : all
        if (options.all) return callback(null, wanted)
        const first = wanted[0] ?? all[0]!
        callback(null, first.address, first.family)
      },
      (error: Error) => callback(error, []),
    )
  }) as Net.LookupFunction
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])

function toResponse(modules: NodeModules, res: Http.IncomingMessage, method: string): Response {
  const headers = new Headers()
  const raw = res.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!)
    } catch {
      // A header the Fetch API cannot hold is left out, as fetch leaves it out.
    }
  }
  const status = res.statusCode ?? 0
  if (method === 'HEAD' || NULL_BODY.has(status)) {
    res.resume()
    return new Response(null, { status, headers })
  }
  let body: Stream.Readable = res
  // Codings are listed in the order applied: undone from the last. An unknown one stays as sent.
  const codings = (res.headers['content-encoding'] ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter(Boolean)
  for (const coding of codings.reverse()) {
    const decoder = coding === 'gzip' || coding === 'x-gzip' ? modules.zlib.createGunzip()
      : coding === 'deflate' ? modules.zlib.createInflate()
      : coding === 'br' ? modules.zlib.createBrotliDecompress()
      : undefined
    if (!decoder) break
    body = modules.stream.pipeline(body, decoder, () => undefined)
  }
  return new Response(modules.stream.Readable.toWeb(body) as ReadableStream<Uint8Array>, { status, headers })
}

/** A transport that refuses private, loopback and link-local addresses (see the module comment). */
export async function createGuardedTransport(options: GuardOptions = {}): Promise<Transport> {
  const modules = await loadNodeModules()
  const { http, https, dns, net } = modules
  const check = createAddressCheck(net, options.allowNetworks)
  const resolve: ResolveHost = options.resolve ?? (async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address))
  const lookup = guardedLookup(net, resolve, check)
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) }

  return (url, init) =>
    new Promise<Response>((resolveResponse, reject) => {
      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
      // An address literal is connected to without a lookup: check it here.
      if (net.isIP(hostname)) {
        const kind = check(hostname)
        if (kind !== undefined) return reject(addressDenied(hostname, hostname, kind))
      }
      const headers: Record<string, string | string[]> = {}
      for (const [name, value] of init.headers) headers[name] = name === 'set-cookie' ? [value] : value
      headers['accept'] ??= '*/*'
      headers['accept-encoding'] ??= 'gzip, deflate, br'
      const body = init.body === undefined ? undefined : new TextEncoder().encode(init.body)
      if (body) headers['content-length'] = String(body.byteLength)
      const client = url.protocol === 'https:' ? https : http
      const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:']
      const request = client.request(url, { method: init.method, headers, agent, lookup, signal: init.signal }, (res) => {
        try {
          resolveResponse(toResponse(modules, res, init.method))
        } catch (error) {
          // A status the Fetch API refuses (outside 200-599) is no answer.
          res.destroy()
          reject(error)
        }
      })
      request.on('error', reject)
      request.end(body)
    })
}
