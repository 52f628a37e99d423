/**
 * @module
 * Signature test helpers: a scheme's verifier compiled from a definition's `signature` block,
 * and a check that runs it over a real `Request` at a chosen time.
 */
import { expect } from 'vitest'
import type { SignatureConfig } from '../../../src/index.js'
import { compileTriggerSecurity } from '../../../src/core/trigger-security.js'
import { HookflowError } from '../../../src/errors/hookflow-error.js'

export interface Delivery {
  url?: string
  headers: Record<string, string>
  body: string | Uint8Array
}

/** Verifies `delivery` under `signature` at `nowSeconds`; resolves to 'ok' or the 401 error code. */
export function verifier(signature: SignatureConfig): (delivery: Delivery, nowSeconds?: number) => Promise<string> {
  const { security, problems } = compileTriggerSecurity({ type: 'webhook', signature })
  expect(problems).toEqual([])
  const verify = security!.verify!
  return async (delivery, nowSeconds = Date.now() / 1000) => {
    const url = delivery.url ?? 'https://hooks.example.com/api/webhook:trigger/x'
    const request = new Request(url, { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit })
    const body = new Uint8Array(await request.arrayBuffer())
    try {
      await verify({ request, body, url, now: nowSeconds * 1000 })
      return 'ok'
    } catch (error) {
      if (!HookflowError.is(error)) throw error
      expect(error.status).toBe(401)
      return error.code
    }
  }
}

/** The body with its first space removed: the same JSON, other bytes. */
export function withoutOneSpace(body: string): string {
  const at = body.indexOf(' ')
  expect(at, 'the body has a space to remove').toBeGreaterThanOrEqual(0)
  return body.slice(0, at) + body.slice(at + 1)
}
