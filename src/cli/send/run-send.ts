/**
 * @module
 * What `hookflow send` does (see `commands/send.ts` for its options): reads the body, signs it
 * as the named sender, delivers it with fetch and prints the answer; 0 below 400, 1 otherwise.
 *
 * ```ts
 * const code = await runSend(parseCommandArgs([url, '--sign', 'github', '--secret', 's'], sendCommand.options), context)
 * ```
 */
import { CliFailure, UsageError, oneLine } from '../cli-errors.js'
import type { CommandContext } from '../command.js'
import { integerOption, stringList, stringOption, type ParsedArgs } from '../parse-command-args.js'
import { defaultContentType, readData } from './read-data.js'
import { type HmacAlgorithm, type HmacSettings, SIGNING_SCHEMES, type SigningScheme, signRequest } from './sign-request.js'

const ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
  return value as T
}

function parseHeaders(lines: readonly string[]): Headers {
  const headers = new Headers()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new UsageError(`--header must read 'name: value', got ${JSON.stringify(line)}`)
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
    } catch {
      throw new UsageError(`--header ${JSON.stringify(line)} is not a valid header`)
    }
  }
  return headers
}

function secretOf(args: ParsedArgs, env: NodeJS.ProcessEnv): string | undefined {
  const secret = stringOption(args, 'secret')
  const name = stringOption(args, 'secret-env')
  if (secret !== undefined && name !== undefined) throw new UsageError('give --secret or --secret-env, not both')
  if (name === undefined) return secret
  const value = env[name]
  if (value === undefined || value === '') throw new CliFailure(`the environment variable ${name} (--secret-env) is not set`)
  return value
}

function bodyOf(bytes: Uint8Array, contentType: string | null): unknown {
  const text = new TextDecoder().decode(bytes)
  if (contentType && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

interface Outgoing {
  method: string
  url: string
  headers: Headers
  body: Uint8Array | undefined
  /** The headers the signature added, shown with --json. */
  signed: Array<[string, string]>
}

async function outgoing(args: ParsedArgs, context: CommandContext): Promise<Outgoing> {
  const [url, ...extra] = args.positionals
  if (url === undefined) throw new UsageError('needs the URL to deliver to')
  if (extra.length > 0) throw new UsageError(`takes one URL, got ${args.positionals.length} arguments`)
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new UsageError(`${JSON.stringify(url)} is not an absolute URL (http://host:port/path)`)
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new UsageError(`send speaks http and https, not ${target.protocol}`)
  const method = (stringOption(args, 'method') ?? 'POST').toUpperCase()
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`--method ${JSON.stringify(method)} is not an HTTP method`)
  const headers = parseHeaders(stringList(args, 'header'))
  const body = await readData(stringOption(args, 'data'), context)
  if (body && (method === 'GET' || method === 'HEAD')) throw new UsageError(`a ${method} request has no body: drop --data or use --method POST`)
  if (body && !headers.has('content-type')) headers.set('content-type', defaultContentType(body))
  return { method, url: target.href, headers, body, signed: [] }
}

/** Adds the signature `--sign` asks for (and, for Twilio, `bodySHA256` to the URL). */
function sign(request: Outgoing, args: ParsedArgs, env: NodeJS.ProcessEnv): void {
  const scheme = oneOf<SigningScheme>('sign', stringOption(args, 'sign'), SIGNING_SCHEMES)
  const secret = secretOf(args, env)
  if (scheme === undefined) {
    if (secret !== undefined) throw new UsageError('--secret signs only with --sign <scheme>')
    return
  }
  if (secret === undefined) throw new UsageError(`--sign ${scheme} needs --secret or --secret-env`)
  const timestamp = stringOption(args, 'timestamp')
  if (timestamp !== undefined && !/^[0-9]{1,12}$/.test(timestamp)) throw new UsageError('--timestamp must be Unix seconds, digits only')
  const hmac: HmacSettings = {
    header: stringOption(args, 'hmac-header'),
    prefix: stringOption(args, 'hmac-prefix'),
    algorithm: oneOf<HmacAlgorithm>('algorithm', stringOption(args, 'algorithm'), ALGORITHMS),
    encoding: oneOf('hmac-encoding', stringOption(args, 'hmac-encoding'), ['hex', 'base64'] as const),
    timestampHeader: stringOption(args, 'hmac-timestamp-header'),
    signedContent: stringOption(args, 'hmac-content'),
    secretEncoding: oneOf('secret-encoding', stringOption(args, 'secret-encoding'), ['utf8', 'hex', 'base64'] as const),
  }
  const result = signRequest({
    scheme,
    secret,
    method: request.method,
    url: request.url,
    signedUrl: stringOption(args, 'signed-url'),
    body: request.body ?? new Uint8Array(0),
    headers: request.headers,
    timestamp,
    algorithm: hmac.algorithm,
    hmac,
  })
  request.url = result.url
  for (const [name, value] of result.headers) {
    request.headers.set(name, value)
    request.signed.push([name, value])
  }
}

export async function runSend(args: ParsedArgs, context: CommandContext): Promise<number> {
  const request = await outgoing(args, context)
  sign(request, args, context.env)
  const timeoutMs = integerOption(args, 'timeout', 30_000, 1, 3_600_000)
  const { method, url, headers, body } = request
  let response: Response
  const began = performance.now()
  try {
    response = await fetch(url, { method, headers, body: body as Uint8Array<ArrayBuffer> | undefined, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? oneLine(error))
    throw new CliFailure(`could not deliver to ${url}: ${why}`)
  }
  const bytes = new Uint8Array(await response.arrayBuffer())
  const durationMs = Math.round(performance.now() - began)
  const responseHeaders: Record<string, string> = {}
  response.headers.forEach((value, name) => (responseHeaders[name] = value))
  const { output } = context
  if (context.json) {
    output.json({
      request: { method, url, signed: Object.fromEntries(request.signed) },
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
      body: bodyOf(bytes, response.headers.get('content-type')),
      durationMs,
    })
  } else {
    const { colors } = output
    const paint = response.status < 300 ? colors.green : response.status < 400 ? colors.yellow : colors.red
    output.line(colors.bold(paint(`HTTP ${response.status} ${response.statusText}`)) + colors.dim(`  (${durationMs} ms)`))
    for (const [name, value] of Object.entries(responseHeaders)) output.line(`${colors.cyan(name)}: ${value}`)
    output.line()
    if (bytes.length > 0) output.line(new TextDecoder().decode(bytes))
  }
  if (response.status >= 400) {
    output.problem(`hookflow send: the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`)
    return 1
  }
  return 0
}
