/**
 * @module
 * HTTP Basic authentication. The expected `username:password` is encoded once; each request's
 * credentials are decoded from base64 and compared byte for byte in constant time. Usernames
 * cannot hold `:`, so comparing the whole pair is the same as splitting at the first `:`.
 */
import { timingSafeEqual } from './timing-safe-equal.js'

const encoder = new TextEncoder()

export const BASIC_CHALLENGE = 'Basic realm="hookflow", charset="UTF-8"'

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  try {
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return undefined
  }
}

/** Constant-time for a given `expected`: every character of it is read, wherever they differ. */
function sameText(expected: string, given: string): boolean {
  let diff = expected.length ^ given.length
  const last = given.length - 1
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (last < 0 ? 0 : given.charCodeAt(i <= last ? i : 0))
  return diff === 0
}

/** A checker for one credential pair: true when the `Authorization` header carries it. */
export function basicAuthChecker(username: string, password: string): (authorization: string | null) => boolean {
  const expected = encoder.encode(`${username}:${password}`)
  // What clients send nearly always: `Basic ` and the canonical base64. Compared first, in time
  // that depends only on its length; any other spelling (`basic`, spaces, no padding) is
  // decoded and compared as bytes.
  let binary = ''
  for (const byte of expected) binary += String.fromCharCode(byte)
  const header = `Basic ${btoa(binary)}`
  return (authorization) => {
    if (authorization === null) return false
    if (sameText(header, authorization)) return true
    const space = authorization.indexOf(' ')
    if (space < 0 || authorization.slice(0, space).toLowerCase() !== 'basic') return false
    const given = decodeBase64(authorization.slice(space + 1).trim())
    return given !== undefined && timingSafeEqual(expected, given)
  }
}
