/**
 * @module
 * Bytes to base64 without `node:buffer`, so the core and the nodes stay runnable in any Fetch
 * runtime.
 */

const CHUNK = 0x8000

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK))
  }
  return btoa(binary)
}
