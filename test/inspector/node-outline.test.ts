import { describe, expect, it } from 'vitest'
import { nodeOutline, REDACTED, redact } from '../../src/inspector/node-outline.js'

describe('the node outline the inspector shows', () => {
  it('keeps key, type, title, config, retry and branches of each node', () => {
    const outline = nodeOutline([
      { key: 'c', type: 'condition', title: 'Big?', config: { calculation: { group: { type: 'and', calculations: [] } } },
        branches: { true: [{ key: 'r', type: 'response', config: { statusCode: 200 } }] } },
      { key: 'call', type: 'request', config: { url: 'https://x' }, retry: { attempts: 3 } },
    ])
    expect(outline).toEqual([
      { key: 'c', type: 'condition', title: 'Big?', config: { calculation: { group: { type: 'and', calculations: [] } } },
        branches: { true: [{ key: 'r', type: 'response', config: { statusCode: 200 } }] } },
      { key: 'call', type: 'request', config: { url: 'https://x' }, retry: { attempts: 3 } },
    ])
  })

  it('redacts credential headers given as { name, value } entries', () => {
    const config = { headers: [{ name: 'Authorization', value: 'Bearer sk_live_1' }, { name: 'X-Api-Key', value: 'k' }, { name: 'Accept', value: 'text/plain' }] }
    expect(redact(config)).toEqual({ headers: [
      { name: 'Authorization', value: REDACTED }, { name: 'X-Api-Key', value: REDACTED }, { name: 'Accept', value: 'text/plain' },
    ] })
  })

  it('redacts values under credential-like keys at any depth, and leaves the rest', () => {
    expect(redact({ auth: { password: 'p', user: 'u' }, client_secret: 's', accessToken: 't', headers: { Cookie: 'c', 'content-type': 'x' }, amount: 5 }))
      .toEqual({ auth: { password: REDACTED, user: 'u' }, client_secret: REDACTED, accessToken: REDACTED, headers: { Cookie: REDACTED, 'content-type': 'x' }, amount: 5 })
  })

  it('does not change the definition it was given', () => {
    const config = { password: 'p' }
    redact(config)
    expect(config).toEqual({ password: 'p' })
  })
})
