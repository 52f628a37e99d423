/**
 * @module
 * A record may carry its own JSON text, made once by whoever built it, so that no later step
 * serialises it again: the webhook core builds a context's text from the body's text as
 * received, and a response description's text is made when it is described (the answer, the
 * store's response column and the Response node's job all use it). JSON work was a quarter of
 * a delivery's cost. The text is a hidden property, so copies of the record (a spread,
 * structuredClone, JSON) never carry a text that no longer matches them.
 *
 * ```ts
 * const context = withContextJson({ headers, query, body, params, method }, bodyText)
 * jsonText(context) // '{"headers":{...},"query":{...},"body":<bodyText>,...}'
 * jsonText({ a: 1 }) // '{"a":1}': JSON.stringify for anything that carries no text
 * ```
 */
import type { TriggerContext } from './execution.js'

const JSON_TEXT = Symbol('hookflow.json-text')

interface Carrier {
  readonly [JSON_TEXT]?: string
}

/** Attaches `text`, which must be the JSON of `value`; `value` must not change afterwards. */
export function withJsonText<T extends object>(value: T, text: string): T {
  // Configurable, so that attaching again (a caller re-describing a value) replaces the text.
  Object.defineProperty(value, JSON_TEXT, { value: text, configurable: true })
  return value
}

/** The text `value` carries, if any. */
export function carriedJson(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as Carrier)[JSON_TEXT] : undefined
}

/** The value as JSON text: the text it carries, else `JSON.stringify` (undefined where JSON has none). */
export function jsonText(value: unknown): string | undefined {
  // A condition's result, a count: JSON.stringify's own cost is most of what these take.
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value === null) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : 'null'
  return carriedJson(value) ?? JSON.stringify(value)
}

/** As stores keep a JSON column: null for null and undefined, else the value's JSON text. */
export function nullableJson(value: unknown): string | null {
  return value === null || value === undefined ? null : jsonText(value)!
}

/**
 * Attaches the context's JSON text, built from `bodyJson` (the body as JSON text that parses to
 * `context.body`) and the other parts. The context must not change afterwards.
 */
export function withContextJson(context: TriggerContext, bodyJson: string): TriggerContext {
  const { headers, query, params, method } = context
  const text =
    `{"headers":${JSON.stringify(headers)},"query":${JSON.stringify(query)},"body":${bodyJson},` +
    `"params":${isEmpty(params) ? '{}' : JSON.stringify(params)}${method === undefined ? '' : `,"method":${JSON.stringify(method)}`}}`
  return withJsonText(context, text)
}

// Most webhook paths have no parameters: their `{}` needs no JSON.stringify.
function isEmpty(record: Record<string, string>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false
  return true
}

/** The context as JSON text: the text it carries, else `JSON.stringify` of it. */
export function contextJson(context: TriggerContext): string {
  return jsonText(context)!
}
