/**
 * @module
 * What every signature scheme provides: the options it takes, and a compile step (once, at
 * `register`) that turns the definition's settings and resolved secrets into a `verify`
 * function run on each delivery over the exact bytes received.
 */
import type { SignatureConfig } from '../../engine/trigger-security-definition.js'
import { timingSafeEqual } from '../timing-safe-equal.js'
import type { HmacKey } from './hmac-key.js'

/** A delivery as the verifier sees it: nothing is parsed yet. */
export interface SignedRequest {
  readonly request: Request
  /** The raw body bytes, exactly as received. */
  readonly body: Uint8Array
  /** The request URL (Twilio signs it). */
  readonly url: string
  /** Epoch ms. */
  readonly now: number
}

/** Resolves for a good signature; throws the 401 `HookflowError` otherwise. */
export type Verify = (signed: SignedRequest) => Promise<void>

export interface SchemeSettings {
  readonly config: SignatureConfig
  /** The secrets' text, environment variables already read. */
  readonly secrets: readonly string[]
  readonly toleranceSeconds: number
  /** Reports a definition problem; `path` is relative to `/trigger/signature`. */
  problem(path: string, message: string): void
}

export interface SignatureScheme {
  readonly name: SignatureConfig['scheme']
  /** The options it takes beyond `scheme`, `secrets` and `toleranceSeconds`. */
  readonly options: ReadonlyArray<keyof SignatureConfig>
  compile(settings: SchemeSettings): Verify
}

/**
 * True when any candidate equals the MAC of `content` under any key. Every pair is compared
 * in constant time, and all of them are, so the time says nothing about which one matched.
 */
export async function anyMatch(keys: readonly HmacKey[], content: readonly Uint8Array[], candidates: readonly Uint8Array[]): Promise<boolean> {
  let matched = false
  for (const key of keys) {
    const expected = await key.sign(content)
    for (const candidate of candidates) if (timingSafeEqual(expected, candidate)) matched = true
  }
  return matched
}
