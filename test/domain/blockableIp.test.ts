/** R12: a firewall measure never blocks internal, special-purpose or protected addresses; public attackers stay blockable. */
import { blockRefusal } from '../../domain/response/blockableIp';

describe('blockable IP', () => {
  test.each([
    ['10.1.2.3', 'a private address'],
    ['172.16.0.9', 'a private address'],
    ['192.168.178.1', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['169.254.10.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['224.0.0.251', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'the unspecified address'],
    ['::', 'the unspecified address'],
    ['255.255.255.255', 'the broadcast address'],
    ['100.64.1.1', 'a carrier-grade NAT address'],
    ['fd12:3456::1', 'an IPv6 unique-local address'],
    ['::ffff:10.0.0.1', 'a private address'],
  ])('R12 never blocks %s (%s)', (address, reason) => {
    expect(blockRefusal(address, [])).toContain(reason);
  });

  test.each(['203.0.113.7', '198.51.100.23', '192.0.2.1', '2001:db8::1', '8.8.8.8', '2a00:1450:4001::1'])('R12 %s is blockable', (address) => {
    expect(blockRefusal(address, [])).toBeNull();
  });

  test('R12 an address inside a protected address or range is refused, naming it', () => {
    expect(blockRefusal('203.0.113.5', ['203.0.113.0/28'])).toBe('203.0.113.5 is inside the protected address 203.0.113.0/28');
    expect(blockRefusal('198.51.100.1', ['198.51.100.1'])).toBe('198.51.100.1 is inside the protected address 198.51.100.1');
    expect(blockRefusal('2001:db8::5', ['2001:db8::/64'])).toMatch(/protected address 2001:db8::\/64/);
    expect(blockRefusal('203.0.113.20', ['203.0.113.0/28', '2001:db8::/64', 'not-an-address'])).toBeNull();
  });

  test('R12 something that is not an IP address is refused', () => {
    expect(blockRefusal('evil.example', [])).toBe("'evil.example' is not an IP address");
  });
});
