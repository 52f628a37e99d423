/**
 * @module
 * One `request` node call: sends it through the transport with its timeout and the
 * execution's abort signal, reads the answer, and turns every outcome into a result or a
 * coded `HookflowError` (`request_status`, `request_timeout`, `request_network`,
 * `request_redirect_refused`, `request_address_denied`, `request_response_too_large`,
 * `request_invalid`). A failed answer's error carries its result, for `ignoreFail`.
 */
import { HookflowError } from '../../errors/hookflow-error.js'
import type { OutgoingRequest } from './build-request.js'
import { headersOf, readResponseData } from './read-response.js'
import { sendRequest, type Transport } from './send-request.js'

/**
 * A Request node's result (without `onlyData`): status, headers and the parsed answer.
 *
 * @example
 * ```ts
 * import type { RequestResult } from 'hookflow'
 *
 * const result: RequestResult = { status: 200, headers: { 'content-type': 'application/json' }, data: { id: 7 } }
 * ```
 */
export interface RequestResult {
  /** The answer's HTTP status. */
  status: number
  /** The answer's headers, names lower-cased. */
  headers: Record<string, string>
  /** The answer's body: parsed JSON, text, or `BinaryData`. */
  data: unknown
  /** Only with `ignoreFail`, when the call failed. */
  error?: { code: string; message: string }
}

export interface CallLimits {
  /** Milliseconds for the whole call, body included; 0 = none of its own. */
  timeout: number
  maxResponseBytes: number
  maxRedirects: number
}

// Where the call went, for messages: never the query string, which may hold a key.
function target(request: OutgoingRequest): string {
  return `${request.method} ${request.url.origin}${request.url.pathname}`
}

function failed(code: string, message: string, result: RequestResult): HookflowError {
  return Object.assign(new HookflowError(code, message), { result })
}

export async function callRequest(request: OutgoingRequest, limits: CallLimits, signal: AbortSignal, transport?: Transport): Promise<RequestResult> {
  const controller = new AbortController()
  let timedOut = false
  const onAbort = (): void => controller.abort(signal.reason)
  if (signal.aborted) onAbort()
  else signal.addEventListener('abort', onAbort, { once: true })
  const timer = limits.timeout > 0 ? setTimeout(() => {
    timedOut = true
    controller.abort(new Error('timeout'))
  }, limits.timeout) : undefined
  try {
    const { response, refusedRedirect } = await sendRequest(request, limits.maxRedirects, controller.signal, transport)
    const data = request.method === 'HEAD' ? null : await readResponseData(response, limits.maxResponseBytes)
    const result: RequestResult = { status: response.status, headers: headersOf(response), data }
    if (refusedRedirect) {
      throw failed('request_redirect_refused', `${target(request)} redirected (${response.status}), not followed: ${refusedRedirect}`, result)
    }
    if (response.status < 200 || response.status > 299) {
      throw failed('request_status', `${target(request)} answered ${response.status}`, result)
    }
    return result
  } catch (error) {
    if (signal.aborted) throw signal.reason
    if (timedOut) throw new HookflowError('request_timeout', `${target(request)} took longer than ${limits.timeout} ms (timeout)`)
    if (HookflowError.is(error)) {
      if (error.code === 'request_address_denied') throw new HookflowError(error.code, `${target(request)} refused: ${error.message}`)
      throw error
    }
    const cause = (error as { cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown })?.code
    throw new HookflowError('request_network', `${target(request)} failed${typeof cause === 'string' ? `: ${cause}` : ''}`, { cause: error })
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
  }
}
