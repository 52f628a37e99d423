import * as net from 'node:net'
import { describe, expect, it } from 'vitest'
import { createAddressCheck, parseNetwork } from '../../src/nodes/http/private-networks.js'

describe('the private-network address check', () => {
  const check = createAddressCheck(net)

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast or reserved'],
    ['255.255.255.255', 'multicast or reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'unique local (private)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::a00:1', 'private (in NAT64)'],
    ['2002:c0a8:101::1', 'private (in 6to4)'],
  ])('denies %s as %s', (address, kind) => {
    expect(check(address)).toBe(kind)
  })

  it.each(['8.8.8.8', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'lets the public address %s through',
    (address) => {
      expect(check(address)).toBeUndefined()
    },
  )

  it('lets allowed addresses and ranges through, IPv4-mapped forms too, and nothing else', () => {
    const allowing = createAddressCheck(net, ['10.1.2.0/24', '127.0.0.1', 'fd00:1::/32'])
    expect(['10.1.2.200', '::ffff:10.1.2.3', '127.0.0.1', 'fd00:1::5'].map(allowing)).toEqual([undefined, undefined, undefined, undefined])
    expect(['10.1.3.1', '127.0.0.2', 'fd00:2::5'].map(allowing)).toEqual(['private', 'loopback', 'unique local (private)'])
  })

  it('reads addresses and CIDR ranges, and refuses anything else naming the option', () => {
    expect(parseNetwork('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' })
    expect(parseNetwork('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' })
    for (const bad of ['10.0.0.256', '10.0.0.0/33', 'fd00::/129', 'localhost', '10.0.0.0/x', '']) {
      expect(() => parseNetwork(bad, 'requestNode.allowNetworks'), bad).toThrow(/^requestNode\.allowNetworks: ".*" is not an IP address or CIDR range/)
    }
  })
})
