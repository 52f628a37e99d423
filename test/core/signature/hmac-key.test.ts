import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HmacKey } from '../../../src/core/signature/hmac-key.js'

// Both ways of computing a MAC, node:crypto where the runtime has it and Web Crypto elsewhere,
// give what node:crypto computes in one piece.

const secret = new TextEncoder().encode('key ☃')
const parts = [new TextEncoder().encode('1700000000.'), new TextEncoder().encode('{"a": "naïve"}'), new Uint8Array([0, 255, 10])]

describe.each([false, true])('HmacKey (webCrypto: %s)', (webCrypto) => {
  it.each(['sha1', 'sha256', 'sha512'] as const)('signs the parts as one byte string with %s', async (algorithm) => {
    const expected = createHmac(algorithm, secret).update(Buffer.concat(parts)).digest()
    const mac = await new HmacKey(secret, algorithm, { webCrypto }).sign(parts)
    expect(Buffer.from(mac).equals(expected)).toBe(true)
  })
})
