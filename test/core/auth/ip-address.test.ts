import { describe, expect, it } from 'vitest'
import { cidrContains, parseCidr, parseIp } from '../../../src/core/auth/ip-address.js'
import { clientAddress } from '../../../src/core/auth/client-address.js'

function inRange(cidr: string, address: string): boolean {
  const range = parseCidr(cidr)
  const bytes = parseIp(address)
  expect(range, cidr).toBeDefined()
  expect(bytes, address).toBeDefined()
  return cidrContains(range!, bytes!)
}

describe('IP addresses and CIDR ranges', () => {
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['192.0.2.0/25', '192.0.2.127', true],
    ['192.0.2.0/25', '192.0.2.128', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::1', '::1', true],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['2001:db8:0:0:0:0:0:1/128', '2001:db8::1', true],
    // A dual-stack socket reports IPv4 clients in their mapped form.
    ['127.0.0.0/8', '::ffff:127.0.0.1', true],
    ['10.0.0.0/8', '::ffff:a00:1', true],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    // An IPv4 range never matches a plain IPv6 address, whatever its low bits.
    ['0.0.0.0/0', '2001:db8::1', false],
    ['::/0', '10.0.0.1', true],
  ])('%s contains %s: %s', (cidr, address, expected) => {
    expect(inRange(cidr, address)).toBe(expected)
  })

  it.each(['10.0.0.0/33', '10.0.0/8', '010.0.0.1', '256.0.0.1', '1.2.3.4/', '1.2.3.4/08', 'example.com', '::1/129', '1::2::3', '12345::', '[::1]', 'fe80::1%eth0', '1.2.3.4.5', ''])(
    'refuses %j as a range',
    (text) => {
      expect(parseCidr(text)).toBeUndefined()
    },
  )

  it.each(['1.2.3', '1.2.3.04', 'nope', ':::', '::ffff:1.2.3', '1:2:3:4:5:6:7:8:9'])('refuses %j as an address', (text) => {
    expect(parseIp(text)).toBeUndefined()
  })
})

describe('the client address', () => {
  const xff = '203.0.113.5, 198.51.100.1'

  it('is the socket peer without trustProxy, whatever X-Forwarded-For says', () => {
    expect(clientAddress(xff, '10.0.0.2', false)).toBe('10.0.0.2')
    expect(clientAddress(xff, '10.0.0.2', 0)).toBe('10.0.0.2')
  })

  it('is the entry n hops before the peer with n trusted proxies', () => {
    expect(clientAddress(xff, '10.0.0.2', 1)).toBe('198.51.100.1')
    expect(clientAddress(xff, '10.0.0.2', 2)).toBe('203.0.113.5')
    // More hops than entries: the first one is as far as anything goes.
    expect(clientAddress(xff, '10.0.0.2', 5)).toBe('203.0.113.5')
  })

  it('is the first entry with trustProxy true', () => {
    expect(clientAddress(xff, undefined, true)).toBe('203.0.113.5')
    expect(clientAddress(null, '10.0.0.2', true)).toBe('10.0.0.2')
  })

  it('drops ports proxies write after addresses', () => {
    expect(clientAddress('203.0.113.5:4711', '10.0.0.2', 1)).toBe('203.0.113.5')
    expect(clientAddress('[2001:db8::5]:443', '10.0.0.2', 1)).toBe('2001:db8::5')
    expect(clientAddress('2001:db8::5', '10.0.0.2', 1)).toBe('2001:db8::5')
  })

  it('is unknown with trusted hops but no peer', () => {
    expect(clientAddress(xff, undefined, 1)).toBeUndefined()
  })
})
