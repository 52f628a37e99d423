/**
 * @module
 * Every mount checks what it was given when it is created, so a wrong argument fails at start
 * with a message naming what it got, instead of `handler.fetch is not a function` on every
 * request.
 *
 * ```ts
 * createListener(engine)
 * // TypeError: createListener needs a fetch handler such as a WebhookTrigger, got an Engine; pass new WebhookTrigger({ engine })
 * ```
 */
import type { FetchHandler } from './serve-request.js'

/** What `handle` and the Fastify plugin need of a trigger. */
export interface TriggerLike extends FetchHandler {
  handles(pathname: string): boolean
}

/** `value` if it has a `fetch` method; otherwise a TypeError naming what it is. */
export function fetchHandlerFor(mount: string, value: unknown): FetchHandler {
  if (hasMethod(value, 'fetch')) return value as FetchHandler
  throw new TypeError(`${mount} needs a fetch handler such as a WebhookTrigger, got ${describe(value)}`)
}

/** `value` if it has `fetch` and `handles` (a `WebhookTrigger`); otherwise a TypeError naming what it is. */
export function triggerFor<T extends TriggerLike>(mount: string, value: unknown): T {
  if (hasMethod(value, 'fetch') && hasMethod(value, 'handles')) return value as T
  const got = hasMethod(value, 'fetch') ? 'a fetch handler without handles() (it cannot tell its paths from the app\'s)' : describe(value)
  throw new TypeError(`${mount} needs a WebhookTrigger, got ${got}`)
}

function hasMethod(value: unknown, name: string): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as Record<string, unknown>)[name] === 'function'
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined; pass new WebhookTrigger({ engine })'
  if (value === null) return 'null; pass new WebhookTrigger({ engine })'
  if (hasMethod(value, 'register') && hasMethod(value, 'dispatch')) return 'an Engine; pass new WebhookTrigger({ engine })'
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}; pass the trigger itself, or { fetch }`
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}; pass new WebhookTrigger({ engine })`
  const name = (value as object).constructor?.name
  const keys = Object.keys(value).slice(0, 5)
  const what = name && name !== 'Object' ? `a ${name}` : keys.length > 0 ? `an object with ${keys.join(', ')}` : 'an empty object'
  return `${what} and no fetch method; pass new WebhookTrigger({ engine })`
}
