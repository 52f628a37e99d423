/**
 * @module
 * Constant-time comparison of bytes, or of text by its UTF-16 code units, in plain JS so the core
 * runs on any fetch runtime. The time taken depends only on the length of the expected value,
 * never on where the two differ.
 */

export function timingSafeEqual(expected: Uint8Array, given: Uint8Array): boolean {
  let diff = expected.length ^ given.length
  const last = given.length - 1
  for (let i = 0; i < expected.length; i++) {
    // Index within `given` either way, so a shorter input takes the same path.
    diff |= expected[i]! ^ (given[i <= last ? i : 0] ?? 0)
  }
  return diff === 0
}

/** As `timingSafeEqual`, for text already in hand: no encoding to bytes first. */
export function timingSafeEqualText(expected: string, given: string): boolean {
  let diff = expected.length ^ given.length
  const last = given.length - 1
  for (let i = 0; i < expected.length; i++) {
    diff |= expected.charCodeAt(i) ^ (last < 0 ? 0 : given.charCodeAt(i <= last ? i : 0))
  }
  return diff === 0
}
