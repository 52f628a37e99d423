import { describe, expect, it } from 'vitest'
import { readBody } from '../../src/core/read-body.js'

const READ_BYTES = Symbol.for('hookflow.read-bytes')

/** A request offering the fast byte reader, whose web-stream body must never be touched. */
function fastRequest(contentLength: string, read: (limit: number, tooLarge: () => Error) => Promise<Uint8Array>): Request {
  return {
    headers: new Headers({ 'content-length': contentLength }),
    get body(): never {
      throw new Error('the web stream body was built')
    },
    [READ_BYTES]: read,
  } as unknown as Request
}

describe('readBody', () => {
  it('leaves a declared oversize body to the fast reader, never building the web stream', async () => {
    const request = fastRequest('5000000', async (_limit, tooLarge) => {
      throw tooLarge()
    })
    await expect(readBody(request, 1024)).rejects.toMatchObject({ status: 413, code: 'payload_too_large' })
  })

  it('returns the bytes the fast reader gives', async () => {
    const request = fastRequest('3', async () => new Uint8Array([1, 2, 3]))
    expect(await readBody(request, 1024)).toEqual(new Uint8Array([1, 2, 3]))
  })

  it('refuses a declared oversize standard Request before reading it', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x'.repeat(10), headers: { 'content-length': '5000000' } })
    await expect(readBody(request, 1024)).rejects.toMatchObject({ status: 413 })
  })
})
