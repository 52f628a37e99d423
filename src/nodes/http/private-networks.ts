/**
 * @module
 * Which addresses the `request` node refuses when the engine denies private networks: every
 * address that is not a public unicast one. IPv4: this-network `0.0.0.0/8`, private `10/8`,
 * `172.16/12`, `192.168/16`, shared (carrier-grade NAT) `100.64/10`, loopback `127/8`,
 * link-local `169.254/16` (cloud metadata services live there), `192.0.0/24`, benchmarking
 * `198.18/15`, multicast and reserved `224/3`. IPv6: `::` and `::1`, IPv4-compatible `::/96`,
 * unique local `fc00::/7`, link-local `fe80::/10`, site-local `fec0::/10`, multicast
 * `ff00::/8`, local-use NAT64 `64:ff9b:1::/48`, and the IPv4 ranges above inside IPv4-mapped
 * (`::ffff:127.0.0.1`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses. Entries of
 * `allowNetworks` (addresses or CIDR ranges) are let through all the same.
 *
 * ```ts
 * const check = createAddressCheck(await import('node:net'), ['10.1.2.0/24'])
 * check('127.0.0.1')   // 'loopback'
 * check('10.1.2.3')    // undefined: allowed
 * ```
 */
import type { BlockList } from 'node:net'

/** The kind of address `address` is when it is denied (`'loopback'`), else undefined. */
export type AddressCheck = (address: string) => string | undefined

type Family = 'ipv4' | 'ipv6'

interface Network {
  address: string
  prefix: number
  family: Family
}

const IPV4_RANGES: ReadonlyArray<readonly [kind: string, cidr: string]> = [
  ['unspecified', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['shared (carrier-grade NAT)', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['reserved', '192.0.0.0/24'],
  ['private', '192.168.0.0/16'],
  ['benchmarking', '198.18.0.0/15'],
  ['multicast or reserved', '224.0.0.0/3'],
]

const IPV6_RANGES: ReadonlyArray<readonly [kind: string, cidr: string]> = [
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['IPv4-compatible', '::/96'],
  ['unique local (private)', 'fc00::/7'],
  ['link-local', 'fe80::/10'],
  ['site-local', 'fec0::/10'],
  ['multicast', 'ff00::/8'],
  ['local-use NAT64', '64:ff9b:1::/48'],
]

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/

function isIpv6(text: string): boolean {
  if (!text.includes(':')) return false
  try {
    return new URL(`http://[${text}]/`).hostname !== ''
  } catch {
    return false
  }
}

/** `10.0.0.0/8`, `::1`, `fd00::/8` as a network; throws a TypeError naming the option otherwise. */
export function parseNetwork(entry: string, option = 'allowNetworks'): Network {
  const slash = entry.indexOf('/')
  const address = (slash < 0 ? entry : entry.slice(0, slash)).trim()
  const family: Family | undefined = IPV4.test(address) ? 'ipv4' : isIpv6(address) ? 'ipv6' : undefined
  const max = family === 'ipv4' ? 32 : 128
  const prefixText = slash < 0 ? String(max) : entry.slice(slash + 1).trim()
  const prefix = Number(prefixText)
  if (family === undefined || !/^\d{1,3}$/.test(prefixText) || prefix > max) {
    throw new TypeError(`${option}: "${entry}" is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)`)
  }
  return { address, prefix, family }
}

// `a.b.c.d` as the two IPv6 groups that carry it.
function groups(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number]
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
}

/** The check for `allow` (entries as `parseNetwork` reads them), using Node's `net.BlockList`. */
export function createAddressCheck(net: { BlockList: typeof BlockList }, allow: readonly string[] = []): AddressCheck {
  const allowed = new net.BlockList()
  for (const entry of allow) {
    const { address, prefix, family } = parseNetwork(entry)
    allowed.addSubnet(address, prefix, family)
  }
  const denied: Array<[kind: string, list: BlockList]> = []
  const deny = (kind: string, address: string, prefix: number, family: Family): void => {
    const list = new net.BlockList()
    list.addSubnet(address, prefix, family)
    denied.push([kind, list])
  }
  for (const [kind, cidr] of IPV6_RANGES) {
    const { address, prefix } = parseNetwork(cidr)
    deny(kind, address, prefix, 'ipv6')
  }
  for (const [kind, cidr] of IPV4_RANGES) {
    const { address, prefix } = parseNetwork(cidr)
    // BlockList matches IPv4-mapped IPv6 addresses against IPv4 ranges itself.
    deny(kind, address, prefix, 'ipv4')
    deny(`${kind} (in NAT64)`, `64:ff9b::${groups(address)}`, 96 + prefix, 'ipv6')
    deny(`${kind} (in 6to4)`, `2002:${groups(address)}::`, 16 + prefix, 'ipv6')
  }
  return (text) => {
    // A zone (`fe80::1%eth0`) names an interface, not an address.
    const address = text.includes('%') ? text.slice(0, text.indexOf('%')) : text
    const family: Family = IPV4.test(address) ? 'ipv4' : 'ipv6'
    if (family === 'ipv6' && !isIpv6(address)) return 'not an IP address'
    if (allowed.check(address, family)) return undefined
    for (const [kind, list] of denied) if (list.check(address, family)) return kind
    return undefined
  }
}
