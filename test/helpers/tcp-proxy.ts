/**
 * @module
 * A TCP proxy the test owns, in front of Postgres or Redis, to take the service away without
 * touching the machine's own: `pass` forwards; `refuse` stops listening (connections are
 * refused) and drops the open ones; `reset` answers every connection, open or new, with a
 * TCP reset; `blackhole` accepts connections and forwards nothing either way, ever (a server
 * that accepts and never answers). Back to `pass`, new connections are forwarded again;
 * connections held in the black hole are reset then (as a server that comes back would).
 *
 * ```ts
 * const proxy = await tcpProxy(5432)
 * const url = proxy.url('postgres://postgres@127.0.0.1:5432/test') // the same, through the proxy
 * await proxy.set('refuse')
 * await proxy.set('pass')
 * ```
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll } from 'vitest'

export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'blackhole'

export interface TcpProxy {
  readonly port: number
  readonly mode: ProxyMode
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string
  set(mode: ProxyMode): Promise<void>
  close(): Promise<void>
}

interface Pair {
  client: Socket
  upstream: Socket | undefined
  held: boolean
}

function reset(socket: Socket | undefined): void {
  if (!socket || socket.destroyed) return
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

const proxies: TcpProxy[] = []
afterAll(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close()
})

export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass'
  const pairs = new Set<Pair>()
  let server: Server | undefined
  let port = 0

  function accept(client: Socket): void {
    const pair: Pair = { client, upstream: undefined, held: mode === 'blackhole' }
    pairs.add(pair)
    client.on('error', () => undefined)
    client.on('close', () => {
      pairs.delete(pair)
      pair.upstream?.destroy()
    })
    if (mode === 'reset') return reset(client)
    // Held: read and dropped, never answered.
    client.on('data', (chunk) => {
      if (!pair.held && pair.upstream) pair.upstream.write(chunk)
    })
    if (pair.held) return
    const upstream = connect({ port: targetPort, host: targetHost })
    pair.upstream = upstream
    upstream.on('error', () => reset(client))
    upstream.on('close', () => {
      if (!pair.held) client.destroy()
    })
    upstream.on('data', (chunk) => {
      if (!pair.held) client.write(chunk)
    })
    // Bytes the client sent before the upstream connected wait in the socket's write buffer.
    client.pause()
    upstream.once('connect', () => client.resume())
  }

  async function listen(): Promise<void> {
    server = createServer({ pauseOnConnect: false }, accept)
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject)
      server!.listen(port, '127.0.0.1', () => resolve())
    })
    port = (server.address() as { port: number }).port
  }

  async function unlisten(): Promise<void> {
    const closing = server
    server = undefined
    if (closing) await new Promise((resolve) => closing.close(resolve))
  }

  await listen()
  const proxy: TcpProxy = {
    get port() {
      return port
    },
    get mode() {
      return mode
    },
    url(url: string): string {
      const parsed = new URL(url)
      parsed.hostname = '127.0.0.1'
      parsed.port = String(port)
      return parsed.toString()
    },
    async set(next: ProxyMode): Promise<void> {
      const previous = mode
      mode = next
      if (next === 'refuse') {
        for (const pair of pairs) {
          reset(pair.client)
          reset(pair.upstream)
        }
        await unlisten()
        return
      }
      if (!server) await listen()
      if (next === 'reset') {
        for (const pair of pairs) {
          reset(pair.client)
          reset(pair.upstream)
        }
      } else if (next === 'blackhole') {
        for (const pair of pairs) pair.held = true
      } else if (previous === 'blackhole') {
        for (const pair of pairs) {
          if (!pair.held) continue
          reset(pair.client)
          reset(pair.upstream)
        }
      }
    },
    async close(): Promise<void> {
      for (const pair of pairs) {
        pair.client.destroy()
        pair.upstream?.destroy()
      }
      await unlisten()
    },
  }
  proxies.push(proxy)
  return proxy
}
