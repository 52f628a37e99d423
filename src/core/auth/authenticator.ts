/**
 * @module
 * A user's own credential check, given in code (definitions are JSON) and named from the
 * definition: `createEngine({ authenticators: { partner: fn } })` and `"authenticate": "partner"`.
 * It runs before the body is read, after the Basic, token and IP checks, and must not read
 * the body (the core reads it once, for the signature and the parser).
 *
 * ```ts
 * const partner: Authenticator = async (request, { clientAddress }) =>
 *   (await verifyJwt(request.headers.get('x-partner-jwt'))) !== undefined
 * ```
 */

export interface AuthenticateInfo {
  readonly workflowKey: string
  /** The client address as `ipAllowList.trustProxy` sees it; undefined when unknown. */
  readonly clientAddress: string | undefined
}

/**
 * `true` lets the request in; `false` answers 401 `unauthorized`; a `Response` is sent as it
 * is (a 403 of your own); a thrown `HookflowError` answers with its status and code.
 */
export type Authenticator = (
  request: Request,
  info: AuthenticateInfo,
) => boolean | Response | Promise<boolean | Response>
