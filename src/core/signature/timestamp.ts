/**
 * @module
 * Signed timestamps: Unix seconds written as digits only (no sign, exponent, space or
 * fraction), within `toleranceSeconds` of now in either direction. A tolerance of 0 turns
 * the window off (as Stripe's SDK does); the timestamp must still be well-formed and signed.
 */
import { signatureExpired, timestampInvalid } from './signature-errors.js'

export const DEFAULT_TOLERANCE_SECONDS = 300

// Up to 12 digits: seconds until the year 33658, and far below 2^53.
const DIGITS = /^[0-9]{1,12}$/

/** The timestamp's text as signed; throws 401 when it is malformed or outside the window. */
export function checkTimestamp(text: string, toleranceSeconds: number, nowMs: number): string {
  if (!DIGITS.test(text)) throw timestampInvalid()
  if (toleranceSeconds > 0 && Math.abs(nowMs / 1000 - Number(text)) > toleranceSeconds) {
    throw signatureExpired(toleranceSeconds)
  }
  return text
}
