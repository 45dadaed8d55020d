/**
 * Which IP addresses a firewall measure may never block (R8, R12): internal, special-purpose and protected addresses.
 * Pure and workflow-safe (ipaddr.js only, no I/O). Documentation ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32) stay blockable: the samples and tests use them as attackers.
 */
import ipaddr from 'ipaddr.js';

/**
 * ipaddr.js range names that are never blocked, with the reason given. Its `reserved` range is left out on purpose:
 * it holds the documentation ranges, which must stay blockable.
 */
const NEVER_BLOCKED: Readonly<Record<string, string>> = {
  private: 'a private address (RFC 1918)',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  carrierGradeNat: 'a carrier-grade NAT address (RFC 6598)',
  uniqueLocal: 'an IPv6 unique-local address (fc00::/7)',
  deprecatedSiteLocal: 'an IPv6 site-local address (fec0::/10)',
};

/** A reason the address must never be blocked, or null when blocking it is allowed. */
export function blockRefusal(address: string, protectedAddresses: readonly string[]): string | null {
  if (!ipaddr.isValid(address)) return `'${address}' is not an IP address`;
  // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into the IPv4 address it carries: judged as that.
  const ip = ipaddr.process(address);
  const range = ip.range();
  const reason = NEVER_BLOCKED[range];
  if (reason !== undefined) return `${ip.toString()} is ${reason}`;
  for (const entry of protectedAddresses) {
    if (contains(entry, ip)) return `${ip.toString()} is inside the protected address ${entry}`;
  }
  return null;
}

/** True when `entry` (an address or CIDR range) is or contains `ip`; entries of the other IP version never match. */
function contains(entry: string, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  try {
    if (entry.includes('/')) {
      const [network, bits] = ipaddr.parseCIDR(entry);
      return network.kind() === ip.kind() && ip.match([network, bits]);
    }
    if (!ipaddr.isValid(entry)) return false;
    const single = ipaddr.process(entry);
    return single.kind() === ip.kind() && single.toString() === ip.toString();
  } catch {
    return false;
  }
}
