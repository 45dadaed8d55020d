/** CIDR ranges (IPv4 and IPv6) for the `cidr` modifier, and event addresses parsed once for comparison. */
import ipaddr from 'ipaddr.js';

/** An address from an event: IPv4 as a 32-bit number (also for IPv4-mapped IPv6), IPv6 parsed. */
export interface EventIp {
  readonly v4: number | undefined;
  readonly v6: ipaddr.IPv6 | undefined;
}

export type IpRangeTest = (ip: EventIp) => boolean;

/** Thrown when a `cidr` value is not an IPv4 or IPv6 range in prefix notation. */
export class InvalidCidrError extends Error {
  override readonly name = 'InvalidCidrError';
  constructor(readonly value: string) {
    super(`'${value}' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`);
  }
}

/** Compiles `203.0.113.0/24` or `2001:db8::/32` into a test; IPv4 ranges also match IPv4-mapped IPv6 addresses. */
export function compileCidr(value: string): IpRangeTest {
  const slash = value.indexOf('/');
  const address = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (slash < 0 || !/^\d{1,3}$/.test(prefixText)) throw new InvalidCidrError(value);
  const prefix = Number(prefixText);
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    if (prefix > 32) throw new InvalidCidrError(value);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const network = (ipv4Number(ipaddr.IPv4.parse(address)) & mask) >>> 0;
    return (ip) => ip.v4 !== undefined && (ip.v4 & mask) >>> 0 === network;
  }
  if (ipaddr.IPv6.isValid(address) && !address.includes('%')) {
    if (prefix > 128) throw new InvalidCidrError(value);
    const network = ipaddr.IPv6.parse(address);
    return (ip) => ip.v6 !== undefined && ip.v6.match(network, prefix);
  }
  throw new InvalidCidrError(value);
}

/** Parses an event value; anything but a plain IPv4 or IPv6 address gives undefined. */
export function parseEventIp(text: string): EventIp | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { v4: ipv4Number(ipaddr.IPv4.parse(text)), v6: undefined };
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  return { v4: v6.isIPv4MappedAddress() ? ipv4Number(v6.toIPv4Address()) : undefined, v6 };
}

function ipv4Number(ip: ipaddr.IPv4): number {
  const [a = 0, b = 0, c = 0, d = 0] = ip.octets;
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}
