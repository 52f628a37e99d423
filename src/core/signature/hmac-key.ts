/**
 * @module
 * One HMAC secret, imported into Web Crypto once (on first use) and reused for every delivery.
 * Web Crypto rather than `node:crypto`, so the core runs on Bun, Deno and Workers too.
 */
import { concatBytes } from './bytes.js'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'

const HASH_NAMES: Record<HmacAlgorithm, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' }

export class HmacKey {
  readonly #secret: Uint8Array
  readonly #hash: string
  #key: Promise<CryptoKey> | undefined

  constructor(secret: Uint8Array, algorithm: HmacAlgorithm) {
    this.#secret = secret
    this.#hash = HASH_NAMES[algorithm]
  }

  /** The MAC of the parts, as if they were one byte string. */
  async sign(parts: readonly Uint8Array[]): Promise<Uint8Array> {
    this.#key ??= crypto.subtle.importKey('raw', this.#secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: this.#hash }, false, ['sign'])
    const key = await this.#key
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, concatBytes(parts) as Uint8Array<ArrayBuffer>))
  }
}

/** The SHA-256 digest of `bytes` (Twilio's `bodySHA256`). */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
}
