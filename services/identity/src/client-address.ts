import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address through `X-Forwarded-For`: `loopback`, addresses and
 * CIDR ranges, comma-separated (`TRUSTED_PROXIES=loopback,10.0.0.0/8`). Empty trusts no one, and the
 * socket's peer is the client.
 */
export function parseTrustedProxies(setting: string): BlockList {
  const trusted = new BlockList();
  for (const entry of setting
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (entry === 'loopback') {
      trusted.addSubnet('127.0.0.0', 8, 'ipv4');
      trusted.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`TRUSTED_PROXIES: ${JSON.stringify(entry)} is not an address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  return trusted;
}

/**
 * The address of the client behind any trusted proxies: walking `X-Forwarded-For` from the right
 * (the entries trusted proxies appended), the first address not itself a trusted proxy. Entries
 * further left were written by the client and prove nothing, so they are never reached past it.
 *
 * @example
 * clientAddress('127.0.0.1', '203.0.113.9, 127.0.0.1', parseTrustedProxies('loopback')); // '203.0.113.9'
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let address = unmapped(peer);
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => unmapped(hop.trim()))
    .filter(Boolean);
  while (isTrusted(address, trusted)) {
    const next = hops.pop();
    if (next === undefined || isIP(next) === 0) break;
    address = next;
  }
  return address;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

// An IPv4 peer on a dual-stack socket shows as ::ffff:127.0.0.1.
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
