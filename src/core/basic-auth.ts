/**
 * @module
 * HTTP Basic authentication. The expected `username:password` is encoded once; each request's
 * credentials are decoded from base64 and compared byte for byte in constant time. Usernames
 * cannot hold `:`, so comparing the whole pair is the same as splitting at the first `:`.
 */
import { timingSafeEqual, timingSafeEqualText } from './timing-safe-equal.js'
import { toBase64 } from '../http/base64.js'
import { decodeBase64 } from './signature/bytes.js'

const encoder = new TextEncoder()

export const BASIC_CHALLENGE = 'Basic realm="hookflow", charset="UTF-8"'

/** A checker for one credential pair: true when the `Authorization` header carries it. */
export function basicAuthChecker(username: string, password: string): (authorization: string | null) => boolean {
  const expected = encoder.encode(`${username}:${password}`)
  // What clients send nearly always: `Basic ` and the canonical base64. Compared first, in time
  // that depends only on its length; any other spelling (`basic`, spaces, no padding) is
  // decoded and compared as bytes.
  const header = `Basic ${toBase64(expected)}`
  return (authorization) => {
    if (authorization === null) return false
    if (timingSafeEqualText(header, authorization)) return true
    const space = authorization.indexOf(' ')
    if (space < 0 || authorization.slice(0, space).toLowerCase() !== 'basic') return false
    const given = decodeBase64(authorization.slice(space + 1).trim())
    return given !== undefined && timingSafeEqual(expected, given)
  }
}
