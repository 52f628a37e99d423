/**
 * @module
 * The 401 answers of a failed signature check, each with a stable code. None of them says
 * which secret was tried or what the expected signature was.
 */
import { HookflowError } from '../../errors/hookflow-error.js'

export const signatureMissing = (what: string): HookflowError =>
  new HookflowError('signature_missing', `The request is not signed: ${what} is missing`, { status: 401 })

export const signatureInvalid = (): HookflowError =>
  new HookflowError('signature_invalid', 'The request signature does not match', { status: 401 })

export const signatureExpired = (toleranceSeconds: number): HookflowError =>
  new HookflowError('signature_expired', `The signed timestamp is more than ${toleranceSeconds} s from now`, { status: 401 })

export const timestampInvalid = (): HookflowError =>
  new HookflowError('signature_timestamp_invalid', 'The signed timestamp must be Unix seconds, digits only', { status: 401 })
