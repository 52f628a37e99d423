/**
 * @module
 * `listen(server)`: starts a node:http server on a free port of 127.0.0.1 and gives what a
 * `MountAdapter` returns, for adapters that build on node:http (Express, Koa, a raw listener).
 *
 * ```ts
 * describeFrameworkAdapter('hookflow/node', async (trigger) => listen(http.createServer(createListener(trigger))))
 * ```
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MountedServer } from './describe-framework-adapter.js'

/**
 * Starts a node:http server on a free port of 127.0.0.1 and gives its URL and a `close`, as a `MountAdapter` returns.
 *
 * @example
 * ```ts
 * import http from 'node:http'
 * import { createListener } from 'hookflow/node'
 * import { describeFrameworkAdapter, listen } from 'hookflow/testing'
 *
 * describeFrameworkAdapter('hookflow/node', async (trigger) => listen(http.createServer(createListener(trigger))))
 * ```
 */
export async function listen(server: Server): Promise<MountedServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive sockets of the test's clients would hold close() open until they time out.
        server.closeAllConnections()
      }),
  }
}
