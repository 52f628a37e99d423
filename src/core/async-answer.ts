/**
 * @module
 * The answer of an async webhook, rendered with the request's `$context` before anything is
 * stored. When the request's own values cannot go into it (a header value rendered with CR,
 * LF or NUL: a response-splitting attempt), the request is refused with 400
 * `invalid_response`: the same workflow answers other deliveries, so the fault is the input's.
 */
import type { ResponseDescription, TriggerContext } from '../engine/execution.js'
import { toResponseDescription } from '../engine/response-description.js'
import { HookflowError } from '../errors/hookflow-error.js'
import type { CompiledTrigger } from './compile-trigger.js'

export function asyncAnswer(trigger: CompiledTrigger, context: TriggerContext): ResponseDescription {
  if (trigger.staticResponse) return trigger.staticResponse
  try {
    return toResponseDescription(trigger.response.render({ $context: context }) as object)
  } catch (error) {
    if (!HookflowError.is(error)) throw error
    throw new HookflowError(error.code, error.message, { status: 400 })
  }
}
