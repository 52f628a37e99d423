/**
 * @module
 * Reads a Node request body as bytes, counting them against a limit as they arrive, without
 * web streams. Past the limit (or at the first byte of a body that is refused) it stops and
 * pauses the socket, never destroys it, so the early answer can still be sent; the progress it
 * records tells `writeResponse` what is left to drain.
 */
import type { IncomingMessage } from 'node:http'
import type { ReadDeadline } from '../../http/fast-request.js'
import { type RequestBodyProgress, trackBodyProgress } from './to-request.js'

function ignore(): void {}

export function readNodeBody(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => Error,
  refuseBytes?: Error,
  deadline?: ReadDeadline,
): Promise<Uint8Array> {
  const declared = req.headers['content-length']
  if (declared !== undefined && (Number(declared) > limit || (refuseBytes !== undefined && Number(declared) > 0))) {
    return Promise.reject(refuseBytes ?? tooLarge())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const entry: { -readonly [K in keyof RequestBodyProgress]: RequestBodyProgress[K] } = {
      state: 'reading',
      inUse: true,
      received: 0,
      release: () => stop('cancelled'),
    }
    trackBodyProgress(req, entry)

    // Paused like a body past the limit: the early answer then drains or closes the connection.
    const unwatch = deadline?.watch(() => fail(deadline.error()))
    const stop = (state: 'cancelled' | 'ended'): void => {
      unwatch?.()
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      entry.state = state
      entry.inUse = false
      // The request may outlive the read (a framework holds it): keep nothing of the read alive.
      entry.release = ignore
    }
    const fail = (error: Error): void => {
      stop('cancelled')
      req.pause()
      reject(error)
    }
    function onData(chunk: Buffer): void {
      total += chunk.byteLength
      entry.received = total
      if (refuseBytes !== undefined && chunk.byteLength > 0) return fail(refuseBytes)
      if (total > limit) return fail(tooLarge())
      chunks.push(chunk)
    }
    function onEnd(): void {
      stop('ended')
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total))
    }
    function onError(error: Error): void {
      stop('ended')
      reject(error)
    }
    function onClose(): void {
      if (entry.state === 'reading') onError(new Error('The request closed before its body ended'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}
