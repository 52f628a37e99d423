/**
 * @module
 * Reads what a workflow runs with from an accepted request, in the contract's order:
 * content type (415, before reading when it can), body bytes under the limit and the read
 * deadline (413, 408), parse (400). `$context` keeps only the configured headers.
 */
import type { TriggerContext } from '../engine/execution.js'
import type { ReadDeadline } from '../http/fast-request.js'
import type { CompiledTrigger } from './compile-trigger.js'
import { bodyTypeOf } from './body/body-kind.js'
import { parseBody } from './body/parse-body.js'
import { withContextJson } from '../engine/json-text.js'
import { parseQuery } from './parse-query.js'
import { readBody } from './read-body.js'

export interface ReadContextOptions {
  bodyLimit: number
  jsonDepth: number
  /** The read deadline (`bodyTimeout`), if any. */
  bodyDeadline?: ReadDeadline
}

export async function readContext(
  request: Request,
  trigger: CompiledTrigger,
  search: string,
  params: Record<string, string>,
  options: ReadContextOptions,
): Promise<TriggerContext> {
  const contentType = request.headers.get('content-type')
  const type = bodyTypeOf(contentType, trigger.body.kinds)
  // Without an accepted type only an empty body passes; the first byte decides 415, before any
  // byte limit could, so an oversize body of the wrong type is 415 too.
  const bytes = await readBody(request, options.bodyLimit, {
    refuseBytes: type ? undefined : trigger.body.refusal,
    deadline: options.bodyDeadline,
  })
  // The signature covers the exact bytes received: checked before anything is parsed.
  const verify = trigger.security?.verify
  if (verify) await verify({ request, body: bytes, url: request.url, now: Date.now() })
  const body = parseBody(bytes, type, { jsonDepth: options.jsonDepth, files: trigger.body.files, contentType })

  const headers: Record<string, string> = {}
  for (const key of trigger.headerKeys) {
    const value = request.headers.get(key)
    if (value !== null) headers[key] = value
  }
  const context: TriggerContext = { headers, query: parseQuery(search), body: body.value, params, method: request.method }
  // A JSON body's text goes with it, so the store need not serialise the body again.
  return body.json === undefined ? context : withContextJson(context, body.json)
}
