/**
 * @module
 * `POST api/sample-paths`: the variable paths a pasted sample offers, as the trigger editor of
 * NocoBase lists them. JSON text gives body paths (`inferBodyPaths`); anything else is read as
 * a URL or query string and gives query paths (`inferQueryPaths`).
 *
 * ```ts
 * // POST /hookflow/api/sample-paths  { "sample": "{\"a\":1,\"b\":{\"c\":2}}" }
 * // -> { source: 'body', paths: ['a', 'b', 'b.c'], templates: ['{{$context.body.a}}', ...] }
 * ```
 */
import { inferBodyPaths, inferQueryPaths } from '../../core/infer-paths.js'
import { badRequest, json } from '../answers.js'
import { readJson } from '../read-json.js'

export async function samplePaths(request: Request): Promise<Response> {
  const { sample } = (await readJson(request)) as { sample?: unknown }
  if (typeof sample !== 'string') throw badRequest('bad_sample', 'Send { "sample": "<JSON body, URL or query string>" }')
  const text = sample.trim()
  let source: 'body' | 'query' = 'query'
  let paths: string[]
  try {
    paths = inferBodyPaths(text)
    source = 'body'
  } catch {
    try {
      paths = inferQueryPaths(text)
    } catch (error) {
      throw badRequest('bad_sample', `The sample is neither JSON nor a URL or query string: ${(error as Error).message}`)
    }
  }
  return json({ source, paths, templates: paths.map((path) => `{{$context.${source}.${path}}}`) })
}
