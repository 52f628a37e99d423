/**
 * @module
 * Unguessable ids: 128 random bits as 22 base64url characters (URL-safe, no padding).
 */

export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}
