/** Blocking IPs on the tenants' firewalls (R12) against the HTTPS OPNsense and FortiGate fakes. */
import { failureOf } from '../notification/failureOf';
import { FORTIGATE_TEST_TOKEN, OPNSENSE_TEST_KEY, VENDOR_TEST_SECRETS } from '../support/vendors';
import { MUELLER, RHEINWERK, startResponseHarness, type ResponseHarness } from './responseHarness';

const opnsense = { kind: 'firewall', sourceId: 'opnsense-fw1', vendor: 'opnsense' } as const;
const fortigate = { kind: 'firewall', sourceId: 'fortigate-fw1', vendor: 'fortigate' } as const;
const ip = (address: string) => ({ kind: 'ip', address }) as const;

let h: ResponseHarness;
beforeAll(async () => {
  h = await startResponseHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.reset());

test('R12 blocks an IP on the OPNsense alias a deny rule uses, with HTTP Basic key:secret', async () => {
  const result = await h.run('firewall.blockIp', MUELLER, opnsense, ip('203.0.113.7'));

  expect(result).toMatchObject({ outcome: 'done', vendorReference: 'SOAR_BLOCKLIST:203.0.113.7' });
  expect(h.fakes.opnsense.alias('SOAR_BLOCKLIST')).toContain('203.0.113.7');
  const [list, add] = h.fakes.requests('opnsense');
  const basic = `Basic ${Buffer.from(`${OPNSENSE_TEST_KEY}:${VENDOR_TEST_SECRETS.MUELLER_OPNSENSE_API_SECRET}`).toString('base64')}`;
  expect(list).toMatchObject({ method: 'GET', path: '/api/firewall/alias_util/list/SOAR_BLOCKLIST', authorization: basic });
  expect(add).toMatchObject({ method: 'POST', path: '/api/firewall/alias_util/add/SOAR_BLOCKLIST', body: { address: '203.0.113.7' }, authorization: basic });
});

test('R12 an IP already on the OPNsense alias is already_done without a change; unblock removes it', async () => {
  const again = await h.run('firewall.blockIp', MUELLER, opnsense, ip('192.0.2.66'));
  expect(again.outcome).toBe('already_done');
  expect(h.fakes.count('opnsense', 'POST', /add/)).toBe(0);

  const removed = await h.run('firewall.unblockIp', MUELLER, opnsense, ip('192.0.2.66'));
  expect(removed.outcome).toBe('done');
  expect(h.fakes.opnsense.alias('SOAR_BLOCKLIST')).toEqual([]);
  expect(h.fakes.requests('opnsense').at(-1)).toMatchObject({ method: 'POST', path: '/api/firewall/alias_util/delete/SOAR_BLOCKLIST', body: { address: '192.0.2.66' } });
  expect((await h.run('firewall.unblockIp', MUELLER, opnsense, ip('192.0.2.66'))).outcome).toBe('already_done');
});

test('R12 blocks an IP on a FortiGate: address object created, address group extended, in the VDOM, with the Bearer key', async () => {
  const result = await h.run('firewall.blockIp', RHEINWERK, fortigate, ip('198.51.100.23'));

  expect(result).toMatchObject({ outcome: 'done', vendorReference: 'soar_198.51.100.23' });
  expect(h.fakes.fortigate.address('soar_198.51.100.23')).toMatchObject({ type: 'ipmask', subnet: '198.51.100.23 255.255.255.255' });
  expect(h.fakes.fortigate.group('SOAR-BLOCK')).toEqual(['soar_placeholder', 'soar_198.51.100.23']);
  const requests = h.fakes.requests('fortigate');
  expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK',
    'GET /api/v2/cmdb/firewall/address/soar_198.51.100.23',
    'POST /api/v2/cmdb/firewall/address',
    'GET /api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK',
    'PUT /api/v2/cmdb/firewall/addrgrp/SOAR-BLOCK',
  ]);
  expect(requests.every((r) => r.authorization === `Bearer ${FORTIGATE_TEST_TOKEN}` && r.query.vdom === 'root')).toBe(true);
  expect(requests[2]?.body).toMatchObject({ name: 'soar_198.51.100.23', type: 'ipmask', subnet: '198.51.100.23/32' });
  expect(requests[4]?.body).toEqual({ member: [{ name: 'soar_placeholder' }, { name: 'soar_198.51.100.23' }] });

  expect((await h.run('firewall.blockIp', RHEINWERK, fortigate, ip('198.51.100.23'))).outcome).toBe('already_done');
  const unblocked = await h.run('firewall.unblockIp', RHEINWERK, fortigate, ip('198.51.100.23'));
  expect(unblocked.outcome).toBe('done');
  expect(h.fakes.fortigate.group('SOAR-BLOCK')).toEqual(['soar_placeholder']);
});

test.each([
  ['10.1.2.3', 'private'],
  ['127.0.0.1', 'loopback'],
  ['169.254.10.10', 'link-local'],
  ['224.0.0.5', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['100.64.1.1', 'carrier-grade NAT'],
  ['fd00::1', 'unique-local'],
  ['::ffff:192.168.1.1', 'private'],
  ['198.51.100.10', 'protected address'],
])('R12 refuses to block %s (%s) without any request to the firewall', async (address, reason) => {
  const failure = await failureOf(h.run('firewall.blockIp', MUELLER, opnsense, ip(address)));
  expect(failure).toMatchObject({ type: 'UnsafeTarget', nonRetryable: true });
  expect(failure.message).toContain(reason);
  expect(h.fakes.requests()).toHaveLength(0);
});

test("R12 refuses an address inside the FortiGate's own range, and keeps documentation ranges blockable", async () => {
  const failure = await failureOf(h.run('firewall.blockIp', RHEINWERK, fortigate, ip('203.0.113.5')));
  expect(failure).toMatchObject({ type: 'UnsafeTarget' });
  expect((await h.run('firewall.blockIp', RHEINWERK, fortigate, ip('203.0.113.77'))).outcome).toBe('done');
});

test('a firewall source the tenant does not have is IntegrationNotConfigured', async () => {
  const failure = await failureOf(h.run('firewall.blockIp', MUELLER, fortigate, ip('203.0.113.7')));
  expect(failure).toMatchObject({ type: 'IntegrationNotConfigured', nonRetryable: true });
  expect(failure.message).toContain("no firewall-fortigate source 'fortigate-fw1'");
});

test('an OPNsense that refuses the credentials is VendorRefused, without the secret in the failure', async () => {
  const wrong = await startResponseHarness({ secrets: { resolve: () => 'a-wrong-secret-9x' } });
  try {
    const failure = await failureOf(wrong.run('firewall.blockIp', MUELLER, opnsense, ip('203.0.113.7')));
    expect(failure).toMatchObject({ type: 'VendorRefused', nonRetryable: true });
    expect(failure.message).toContain('OPNsense refused GET /api/firewall/alias_util/list/SOAR_BLOCKLIST: 401 Authentication Failed');
    expect(JSON.stringify(failure)).not.toContain('a-wrong-secret-9x');
    expect(JSON.stringify(failure)).not.toContain(Buffer.from(`${OPNSENSE_TEST_KEY}:a-wrong-secret-9x`).toString('base64'));
  } finally {
    await wrong.close();
  }
});
