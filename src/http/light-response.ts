/**
 * @module
 * Answers built from a string or bytes, as a `Response` that only becomes an undici Response
 * when something asks for more than its parts. Building a real Response costs about 14 µs on
 * Node 20, more than a whole request in a hand-written handler; the Node bridge writes these
 * parts straight to the socket instead. To everyone else it is a standard `Response`
 * (`instanceof Response`, every property and method), as @hono/node-server does it.
 *
 * ```ts
 * const response = createResponse('ok', 200, [['content-type', 'text/plain; charset=utf-8']])
 * await response.text() // 'ok'
 * ```
 */

/** Where the Node bridge finds the parts of a light response. */
export const RESPONSE_PARTS = Symbol.for('hookflow.response-parts')

export interface ResponseParts {
  readonly status: number
  /** Name/value pairs in order; a name may repeat (`set-cookie`). */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string | Uint8Array | null
}

const REAL = Symbol('real')

class LightResponse {
  readonly [RESPONSE_PARTS]: ResponseParts
  [REAL]: Response | undefined

  constructor(parts: ResponseParts) {
    this[RESPONSE_PARTS] = parts
  }

  #real(): Response {
    if (!this[REAL]) {
      const { status, headers, body } = this[RESPONSE_PARTS]
      const init = new Headers()
      for (const [name, value] of headers) init.append(name, value)
      this[REAL] = new Response(body as BodyInit | null, { status, headers: init })
    }
    return this[REAL]
  }

  get status(): number {
    return this[RESPONSE_PARTS].status
  }
  get ok(): boolean {
    const { status } = this[RESPONSE_PARTS]
    return status >= 200 && status < 300
  }
  get statusText(): string {
    return this.#real().statusText
  }
  get headers(): Headers {
    return this.#real().headers
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#real().body
  }
  get bodyUsed(): boolean {
    return this[REAL]?.bodyUsed ?? false
  }
  get redirected(): boolean {
    return false
  }
  get type(): ResponseType {
    return this.#real().type
  }
  get url(): string {
    return this.#real().url
  }
  clone(): Response {
    return this.#real().clone()
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real().arrayBuffer()
  }
  blob(): Promise<Blob> {
    return this.#real().blob()
  }
  bytes(): Promise<Uint8Array> {
    return (this.#real() as Response & { bytes(): Promise<Uint8Array> }).bytes()
  }
  formData(): Promise<FormData> {
    return this.#real().formData()
  }
  json(): Promise<unknown> {
    return this.#real().json()
  }
  text(): Promise<string> {
    return this.#real().text()
  }
}

// `instanceof Response` holds; every member above shadows the native one (which would refuse
// an object it did not construct).
Object.setPrototypeOf(LightResponse.prototype, Response.prototype)

export function createResponse(
  body: string | Uint8Array | null,
  status: number,
  headers: ReadonlyArray<readonly [string, string]>,
): Response {
  return new LightResponse({ status, headers, body }) as unknown as Response
}

/** The parts of a response made by `createResponse`, untouched so far; undefined otherwise. */
export function responseParts(response: Response): ResponseParts | undefined {
  const light = response as unknown as Partial<LightResponse>
  return light[RESPONSE_PARTS] !== undefined && light[REAL] === undefined ? light[RESPONSE_PARTS] : undefined
}
