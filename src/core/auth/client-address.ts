/**
 * @module
 * Which address a request came from. The socket's peer comes from the adapter (the Node bridge
 * puts it under the `REMOTE_ADDRESS` symbol) or from `WebhookTrigger`'s `clientAddress` option;
 * `X-Forwarded-For` is read only as far as `trustProxy` allows, since anyone can write it.
 */

/**
 * `trustProxy`: false/0 gives the peer itself; `n` trusted proxies give the address `n` hops
 * before the peer in `X-Forwarded-For` (with the peer appended); true gives the first entry.
 * Undefined when the needed address is unknown.
 */
export function clientAddress(
  forwardedFor: string | null,
  peer: string | undefined,
  trustProxy: boolean | number,
): string | undefined {
  if (trustProxy === false || trustProxy === 0) return peer
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((entry) => stripPort(entry.trim()))
    .filter((entry) => entry !== '')
  if (trustProxy === true) return hops[0] ?? peer
  if (peer === undefined) return undefined
  const chain = [...hops, peer]
  return chain[Math.max(0, chain.length - 1 - trustProxy)]
}

/** Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:443`. */
function stripPort(entry: string): string {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']')
    return end < 0 ? entry : entry.slice(1, end)
  }
  const colon = entry.indexOf(':')
  return colon >= 0 && colon === entry.lastIndexOf(':') ? entry.slice(0, colon) : entry
}
