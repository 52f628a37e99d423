/**
 * @module
 * Rules for the HTTP answers that Response nodes and `trigger.response` describe: status
 * codes, header names and values. Checked once at `register` on the definition, and again
 * at run time on rendered values, so a template can never smuggle a header line in.
 */
import type { ConfigProblem } from './node-type.js'
import { HookflowError } from '../errors/hookflow-error.js'
import { errorBrand } from '../errors/error-brand.js'
import type { ResponseDescription } from './execution.js'
import { carriedJson, withJsonText } from './json-text.js'

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[\r\n\0]/
/** Framing headers are the server's to set; a workflow setting them would corrupt the answer. */
const FORBIDDEN = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade'])

/** An RFC 9110 field name (any, including the ones a workflow may not set). */
export function isHeaderName(name: unknown): name is string {
  return typeof name === 'string' && HEADER_NAME.test(name)
}

export function headerNameProblem(name: unknown): string | undefined {
  if (!isHeaderName(name)) return 'must be a valid HTTP header name'
  if (FORBIDDEN.has(name.toLowerCase())) return `may not set "${name}": the server sets it`
  return undefined
}

export function headerValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string'
  if (BAD_VALUE.test(value)) return 'may not contain CR, LF or NUL'
  return undefined
}

export function isValidStatusCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 200 && value <= 599
}

function isTemplateString(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{')
}

/** Static checks of a `{ statusCode, headers, body }` config; templates are checked at run time. */
export function responseConfigProblems(config: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  if (typeof config !== 'object' || config === null) return problems
  const { statusCode, headers } = config as { statusCode?: unknown; headers?: unknown }
  if (statusCode !== undefined && !isTemplateString(statusCode) && !isValidStatusCode(statusCode)) {
    problems.push({ path: '/statusCode', message: 'must be an integer from 200 to 599' })
  }
  if (headers === undefined) return problems
  if (!Array.isArray(headers)) {
    problems.push({ path: '/headers', message: 'must be an array of { name, value }' })
    return problems
  }
  headers.forEach((header: unknown, i) => {
    const { name, value } = (header ?? {}) as { name?: unknown; value?: unknown }
    const nameProblem = headerNameProblem(name)
    if (nameProblem) problems.push({ path: `/headers/${i}/name`, message: nameProblem })
    const valueProblem = isTemplateString(value) ? undefined : headerValueProblem(value)
    if (valueProblem) problems.push({ path: `/headers/${i}/value`, message: valueProblem })
  })
  return problems
}

const brand = errorBrand('InvalidResponseError')

/** A rendered answer that cannot be sent (bad status code, a header value with CR/LF). */
export class InvalidResponseError extends HookflowError {
  constructor(message: string) {
    super('invalid_response', message, { status: 500 })
    this.name = 'InvalidResponseError'
    brand.mark(this)
  }

  /** True for a InvalidResponseError from any copy of the package (not for other hookflow errors). */
  static override is(value: unknown): value is InvalidResponseError {
    return brand.has(value)
  }
}

/** Checks a rendered answer; throws an InvalidResponseError naming the first problem. */
export function toResponseDescription(rendered: {
  statusCode?: unknown
  headers?: unknown
  body?: unknown
}): ResponseDescription {
  const statusCode = rendered.statusCode ?? 200
  const numeric = typeof statusCode === 'string' && /^\d{3}$/.test(statusCode) ? Number(statusCode) : statusCode
  if (!isValidStatusCode(numeric)) {
    throw new InvalidResponseError(`Response statusCode ${JSON.stringify(statusCode)} is not an integer from 200 to 599`)
  }
  const headers: ResponseDescription['headers'] = []
  for (const header of (rendered.headers as Array<{ name?: unknown; value?: unknown }> | undefined) ?? []) {
    // A whole-value template of a missing variable leaves the header out rather than failing.
    if (header.value === undefined || header.value === null) continue
    const value = typeof header.value === 'object' ? JSON.stringify(header.value) : String(header.value)
    const problem = headerNameProblem(header.name) ?? headerValueProblem(value)
    if (problem) throw new InvalidResponseError(`Response header ${JSON.stringify(header.name)} ${problem}`)
    headers.push({ name: header.name as string, value })
  }
  return described(numeric, headers, rendered.body)
}

// The answer's JSON text is made once, here: the HTTP body, the store's response column and the
// Response node's job all read it. A body JSON cannot carry (a BigInt, a cycle) fails the node
// that described it, with its reason, instead of the answer or the store later.
function described(statusCode: number, headers: ResponseDescription['headers'], body: unknown): ResponseDescription {
  let bodyText: string | undefined
  try {
    bodyText = JSON.stringify(body)
  } catch (error) {
    throw new InvalidResponseError(`Response body cannot be sent as JSON: ${(error as Error).message}`)
  }
  const head = `{"statusCode":${statusCode},"headers":${headers.length === 0 ? '[]' : JSON.stringify(headers)}`
  return withJsonText({ statusCode, headers, body }, bodyText === undefined ? `${head}}` : `${head},"body":${bodyText}}`)
}

/**
 * The body of an answer as JSON text. Of a described answer it is cut from the text made when
 * it was described: the first `,"body":` there is the body's key, since header names and values
 * are JSON strings, where every `"` is escaped.
 */
export function responseBodyJson(description: ResponseDescription): string | undefined {
  const text = carriedJson(description)
  const at = text === undefined ? -1 : text.indexOf(',"body":')
  return at === -1 ? JSON.stringify(description.body) : text!.slice(at + 8, -1)
}
