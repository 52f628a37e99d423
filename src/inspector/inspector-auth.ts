/**
 * @module
 * Who may use the inspector: HTTP Basic with one credential pair (compared in constant time),
 * your own `authenticate(request)` check, or, written out explicitly, nobody checked at all.
 *
 * ```ts
 * const allowed = inspectorAuth({ username: 'admin', password: process.env.INSPECTOR_PASSWORD! })
 * await allowed.check(request) // true or false
 * ```
 */
import { basicAuthChecker } from '../core/basic-auth.js'

/**
 * HTTP Basic: the browser asks for these once and sends them with every request of the page.
 *
 * @example
 * ```ts
 * import type { InspectorBasicAuth } from 'hookflow/inspector'
 *
 * const auth: InspectorBasicAuth = { username: 'admin', password: process.env.INSPECTOR_PASSWORD! }
 * ```
 */
export interface InspectorBasicAuth {
  /** The user name; no `:`. */
  username: string
  /** The password, compared in constant time. */
  password: string
}

/**
 * Your own check (a session cookie, a header your proxy sets...): true lets the request in.
 *
 * @example
 * ```ts
 * import type { InspectorAuthenticate } from 'hookflow/inspector'
 *
 * const auth: InspectorAuthenticate = { authenticate: (request) => request.headers.get('x-forwarded-user') === 'ops' }
 * ```
 */
export interface InspectorAuthenticate {
  /** True lets the request in; anything else refuses it (401). */
  authenticate(request: Request): boolean | Promise<boolean>
}

/**
 * Who may use the inspector: HTTP Basic credentials, or a check of your own.
 *
 * @example
 * ```ts
 * import type { InspectorAuth } from 'hookflow/inspector'
 *
 * const auth: InspectorAuth = process.env.INSPECTOR_PASSWORD
 *   ? { username: 'admin', password: process.env.INSPECTOR_PASSWORD }
 *   : { authenticate: () => false }
 * ```
 */
export type InspectorAuth = InspectorBasicAuth | InspectorAuthenticate

export const INSPECTOR_CHALLENGE = 'Basic realm="hookflow inspector", charset="UTF-8"'

export interface AccessCheck {
  check(request: Request): Promise<boolean>
  /** The `WWW-Authenticate` value a refusal carries (Basic only: the browser then asks). */
  challenge: string | undefined
}

const MISSING =
  'createInspector needs `auth`: { username, password } for HTTP Basic, { authenticate(request) } for your ' +
  'own check, or `auth: false` to leave the inspector open to anyone who reaches it (local development only)'

/** The access check for `auth`; throws a TypeError naming the fix when it is missing or malformed. */
export function inspectorAuth(auth: InspectorAuth | false | undefined): AccessCheck {
  if (auth === false) return { check: async () => true, challenge: undefined }
  if (auth === undefined || auth === null || typeof auth !== 'object') throw new TypeError(MISSING)
  if ('authenticate' in auth) {
    const authenticate = auth.authenticate
    if (typeof authenticate !== 'function') throw new TypeError('auth.authenticate must be a function (request) => boolean')
    // Only `true` lets a request in: a check that returns something else by mistake refuses.
    return { check: async (request) => (await authenticate.call(auth, request)) === true, challenge: undefined }
  }
  const { username, password } = auth as Partial<InspectorBasicAuth>
  if (typeof username !== 'string' || username === '' || username.includes(':')) {
    throw new TypeError('auth.username must be a non-empty string without ":"')
  }
  if (typeof password !== 'string' || password === '') throw new TypeError('auth.password must be a non-empty string')
  const matches = basicAuthChecker(username, password)
  return { check: async (request) => matches(request.headers.get('authorization')), challenge: INSPECTOR_CHALLENGE }
}
