/**
 * @module
 * A trigger's body settings, compiled once per workflow: the kinds it accepts
 * (`request.contentTypes`, default JSON only), the 415 answer naming them, and the multipart
 * file limits (`request.files`).
 */
import type { HookflowError } from '../../errors/hookflow-error.js'
import { unsupportedMediaType } from '../http-errors.js'
import { type BodyKind, DEFAULT_BODY_KINDS, describeKinds } from './body-kind.js'
import type { MultipartLimits } from './parse-multipart.js'

export interface BodyOptions {
  readonly kinds: ReadonlySet<BodyKind>
  /** The 415 for a body no accepted kind takes. */
  readonly refusal: HookflowError
  readonly files: MultipartLimits
}

export interface BodyConfig {
  contentTypes?: readonly BodyKind[]
  files?: MultipartLimits
}

export function compileBodyOptions(request: BodyConfig | undefined): BodyOptions {
  const kinds = new Set(request?.contentTypes ?? DEFAULT_BODY_KINDS)
  return { kinds, refusal: unsupportedMediaType(describeKinds(kinds)), files: { ...request?.files } }
}
