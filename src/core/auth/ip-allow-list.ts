/**
 * @module
 * `trigger.ipAllowList`: only clients whose address lies in one of the ranges get in (403 for
 * the rest, and for a request whose address cannot be known).
 */
import type { IpAllowListConfig } from '../../engine/trigger-security-definition.js'
import { addressRefused } from './auth-errors.js'
import { type Cidr, cidrContains, parseCidr, parseIp } from './ip-address.js'

export interface IpCheck {
  readonly trustProxy: boolean | number
  /** Throws 403 unless `address` is in the list. */
  check(address: string | undefined): void
}

export function compileIpAllowList(config: IpAllowListConfig, problem: (path: string, message: string) => void): IpCheck {
  const ranges: Cidr[] = []
  config.allow.forEach((text, i) => {
    const cidr = parseCidr(text)
    if (cidr) ranges.push(cidr)
    else problem(`/allow/${i}`, `"${text}" is not an IPv4 or IPv6 address or CIDR range`)
  })
  return {
    trustProxy: config.trustProxy ?? false,
    check(address) {
      const bytes = address === undefined ? undefined : parseIp(address)
      if (!bytes || !ranges.some((range) => cidrContains(range, bytes))) throw addressRefused()
    },
  }
}
