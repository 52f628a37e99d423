/**
 * @module
 * IP addresses and CIDR ranges, IPv4 and IPv6, as 16 bytes: an IPv4 address is held in its
 * IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `10.0.0.0/8` also matches a dual-stack
 * socket's `::ffff:10.1.2.3`. Strict: no leading zeros, no shorthand IPv4 forms.
 */

export interface Cidr {
  readonly bytes: Uint8Array
  /** Leading bits that must match, 0..128. */
  readonly bits: number
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const out: number[] = []
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined
    out.push(Number(part))
  }
  return out
}

function parseIpv6(text: string): Uint8Array | undefined {
  let head = text
  let tail: number[] = []
  // An IPv4 tail (`::ffff:1.2.3.4`) counts as the last two groups.
  const lastColon = text.lastIndexOf(':')
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1))
    if (!v4) return undefined
    tail = v4
    head = text.slice(0, lastColon + 1)
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1)
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string): number[] | undefined => {
    if (half === '') return []
    const out: number[] = []
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined
      const value = Number.parseInt(group, 16)
      out.push(value >> 8, value & 0xff)
    }
    return out
  }
  const before = groups(halves[0]!)
  const after = groups(halves[1] ?? '')
  if (!before || !after) return undefined
  const known = before.length + after.length + tail.length
  if (halves.length === 1 ? known !== 16 : known > 14) return undefined
  const bytes = new Uint8Array(16)
  bytes.set(before, 0)
  bytes.set([...after, ...tail], 16 - after.length - tail.length)
  return bytes
}

/** An address as 16 bytes; undefined when it is not one. Brackets and a zone (`%eth0`) are dropped. */
export function parseIp(input: string): Uint8Array | undefined {
  let text = input.trim()
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const zone = text.indexOf('%')
  if (zone >= 0) text = text.slice(0, zone)
  if (!text.includes(':')) {
    const v4 = parseIpv4(text)
    return v4 && new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4])
  }
  return parseIpv6(text)
}

/** `10.0.0.0/8`, `2001:db8::/32`, or one address (all its bits). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  const address = slash < 0 ? text : text.slice(0, slash)
  const bytes = parseIp(address)
  if (!bytes || address.includes('%') || address.startsWith('[')) return undefined
  const v4 = !address.includes(':')
  const max = v4 ? 32 : 128
  const suffix = slash < 0 ? String(max) : text.slice(slash + 1)
  if (!/^(0|[1-9][0-9]{0,2})$/.test(suffix) || Number(suffix) > max) return undefined
  return { bytes, bits: Number(suffix) + (v4 ? 96 : 0) }
}

export function cidrContains(cidr: Cidr, address: Uint8Array): boolean {
  let bits = cidr.bits
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff
    if ((cidr.bytes[i]! & mask) !== (address[i]! & mask)) return false
  }
  return true
}
