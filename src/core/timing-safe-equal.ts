/**
 * @module
 * Constant-time byte comparison, in plain JS so the core runs on any fetch runtime. The time
 * taken depends only on the length of the expected value, never on where the bytes differ.
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
