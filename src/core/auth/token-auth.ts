/**
 * @module
 * Token authentication: `Authorization: Bearer <token>` by default, or a token in another
 * header (`x-api-key`), with or without a scheme word. Every configured token is compared in
 * constant time, all of them, so the time says nothing about which one (if any) matched.
 */
import type { TokenAuthenticationConfig } from '../../engine/trigger-security-definition.js'
import { timingSafeEqual } from '../timing-safe-equal.js'
import { tokenRefused } from './auth-errors.js'

const encoder = new TextEncoder()

export interface TokenCheck {
  /** Lower-cased; never stored in `$context`. */
  readonly header: string
  check(headers: Headers): void
}

export function compileTokenAuth(config: TokenAuthenticationConfig, tokens: readonly string[]): TokenCheck {
  const header = (config.header ?? 'authorization').toLowerCase()
  const scheme = config.scheme ?? (header === 'authorization' ? 'Bearer' : undefined)
  const expected = tokens.map((token) => encoder.encode(token))
  const challenge = header === 'authorization' && scheme !== undefined ? `${scheme} realm="hookflow"` : undefined
  return {
    header,
    check(headers) {
      const value = headers.get(header)
      let given: string | undefined
      if (value !== null && scheme === undefined) given = value.trim()
      else if (value !== null) {
        const space = value.indexOf(' ')
        if (space > 0 && value.slice(0, space).toLowerCase() === scheme!.toLowerCase()) given = value.slice(space + 1).trim()
      }
      if (given === undefined || given === '') throw tokenRefused(challenge)
      const bytes = encoder.encode(given)
      let matched = false
      for (const token of expected) if (timingSafeEqual(token, bytes)) matched = true
      if (!matched) throw tokenRefused(challenge)
    },
  }
}
