import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { serveRequest } from '../../src/adapters/node/index.js'
import { listen } from '../../src/testing/listen.js'

describe('serveRequest over a real socket', () => {
  it('writes the answer at the end of the turn, not from the microtasks after the handler', async () => {
    const probes: boolean[] = []
    let finished: Promise<void> | undefined
    const server = createServer((req, res) => {
      const handler = {
        async fetch(): Promise<Response> {
          // Microtasks that run after this answer resolves, in the same turn: the old bridge
          // had written the answer (headersSent) within the first few of them.
          let chain = Promise.resolve()
          for (let i = 0; i < 20; i++) chain = chain.then(() => void probes.push(res.headersSent))
          finished = chain
          return new Response('ok', { headers: { 'content-type': 'text/plain' } })
        },
      }
      void serveRequest(handler, req, res)
    })
    const mounted = await listen(server)
    try {
      const response = await fetch(`${mounted.url}/`, { method: 'POST', body: '{}' })
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('ok')
      await finished
      expect(probes).toHaveLength(20)
      expect(probes.every((sent) => !sent)).toBe(true)
    } finally {
      await mounted.close()
    }
  })
})
