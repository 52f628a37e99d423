/**
 * @module
 * The node:http server `dev` answers on, bound before the slow part of starting (loading node
 * types, opening the store, compiling workflows), so a taken port is said at once. Until the
 * handler is ready, requests get 503 with `Retry-After`.
 *
 * ```ts
 * const server = await bindDevServer(3000, '127.0.0.1', onError)
 * server.serve(composeHandlers(handlers))
 * await server.close()
 * ```
 */
import { createServer } from 'node:http'
import { CliFailure, oneLine } from '../cli-errors.js'
import { createListener } from '../../adapters/node/create-listener.js'
import type { FetchHandler } from '../../adapters/node/serve-request.js'
import { HookflowError } from '../../errors/hookflow-error.js'

/** How long a stopping server waits for deliveries in flight before closing their sockets. */
const CLOSE_GRACE_MS = 5000

export interface DevServer {
  /** `http://127.0.0.1:3000`: what URLs are printed with. */
  readonly origin: string
  serve(handler: FetchHandler): void
  close(): Promise<void>
}

const starting: FetchHandler = {
  fetch: () => new HookflowError('starting', 'hookflow dev is starting', { status: 503, headers: { 'retry-after': '1' } }).toResponse(),
}

function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

export async function bindDevServer(port: number, host: string, onError: (error: unknown) => void): Promise<DevServer> {
  let current = starting
  const server = createServer(createListener({ fetch: (request) => current.fetch(request) }, { onError }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CliFailure(`port ${port} on ${host} is in use: stop what runs there, or pass --port`))
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CliFailure(`cannot listen on ${host}: no such local address`))
      else reject(new CliFailure(`cannot listen on ${host}:${port}: ${oneLine(error)}`))
    })
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return {
    origin: `http://${shownHost(host)}:${bound}`,
    serve(handler) {
      current = handler
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        // A sync delivery still waiting gets a few seconds to be answered, then its socket goes.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref()
      })
    },
  }
}
