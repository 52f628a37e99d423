/**
 * @module
 * The answers of the credential checks that do not need the body: a refused address (403),
 * a missing or wrong token (401), an `authenticate` hook that said no (401).
 */
import { HookflowError } from '../../errors/hookflow-error.js'

export const addressRefused = (): HookflowError =>
  new HookflowError('ip_not_allowed', 'Requests from this address are not accepted', { status: 403 })

export const tokenRefused = (challenge: string | undefined): HookflowError =>
  new HookflowError('unauthorized', 'Missing or invalid credentials', {
    status: 401,
    ...(challenge === undefined ? {} : { headers: { 'www-authenticate': challenge } }),
  })
