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

/**
 * What an `Authenticator` learns about a delivery besides its request: the workflow and the client address.
 *
 * @example
 * ```ts
 * import type { Authenticator } from 'hookflow'
 *
 * const internalOnly: Authenticator = (_request, info) => info.clientAddress?.startsWith('10.') ?? false
 * ```
 */
export interface AuthenticateInfo {
  /** The key of the workflow the delivery is for. */
  readonly workflowKey: string
  /** The client address as `ipAllowList.trustProxy` sees it; undefined when unknown. */
  readonly clientAddress: string | undefined
}

/**
 * `true` lets the request in; `false` answers 401 `unauthorized`; a `Response` is sent as it
 * is (a 403 of your own); a thrown `HookflowError` answers with its status and code.
 *
 * @example
 * ```ts
 * import { createEngine, type Authenticator } from 'hookflow'
 *
 * const partner: Authenticator = async (request) => request.headers.get('x-partner-key') === process.env.PARTNER_KEY
 * const engine = createEngine({ authenticators: { partner } })
 * engine.register({ key: 'p', trigger: { type: 'webhook', id: 'p', authenticate: 'partner' }, nodes: [] })
 * ```
 */
export type Authenticator = (
  request: Request,
  info: AuthenticateInfo,
) => boolean | Response | Promise<boolean | Response>
