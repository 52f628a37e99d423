/**
 * What every benchmark server does besides serving: listen on a free port, say which on
 * stdout, sample its resident memory, and answer the harness's questions over IPC.
 * `serveBench(server)` listens itself; a framework that listens on its own (Fastify's
 * `app.listen`) calls `benchListening(server)` once it does.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BenchServerHooks {
  /** Resolves when the server has no background work left. */
  idle?: () => Promise<void>
  /** Runs finished so far (the durable scenario reads it to time a backlog's drain). */
  completed?: () => number
  /** Deliveries stored so far, to be run. */
  accepted?: () => number
}

export function serveBench(server: Server, hooks: BenchServerHooks = {}): void {
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => benchListening(server, hooks))
}

/** For a server already listening: starts the memory sampler and the IPC, then prints the port. */
export function benchListening(server: Server, hooks: BenchServerHooks = {}): void {
  let peakRss = process.memoryUsage.rss()
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
  }, 50)
  sampler.unref()
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'stats') {
      await hooks.idle?.()
      peakRss = Math.max(peakRss, process.memoryUsage.rss())
      process.send?.({ type: 'stats', peakRss, rss: process.memoryUsage.rss() })
    }
    if (message.type === 'completed') process.send?.({ type: 'completed', completed: hooks.completed?.() ?? -1, accepted: hooks.accepted?.() ?? -1 })
    if (message.type === 'reset-peak') {
      peakRss = process.memoryUsage.rss()
      process.send?.({ type: 'reset-peak' })
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.on('SIGINT', () => process.exit(0))
  // An exit, not a kill: a server run with --cpu-prof or --heap-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0))
  // Last: the harness sends its first question as soon as it reads this line.
  console.log(`listening ${(server.address() as AddressInfo).port}`)
}
