/**
 * A critical incident runs playbooks end to end on the sample tenants (R8, R12): the real response activities,
 * with the unmodified Graph client, identity library and HTTP clients, against HTTPS fakes of Entra ID, Graph,
 * Defender for Endpoint, OPNsense and FortiGate. Assertions are on what the vendors received and now hold.
 */
import { randomUUID } from 'node:crypto';
import type { RunningSmtpServer } from '../notification/smtpTestServer';
import { sampleAlert } from '../support/alerts';
import type { TestEngine } from '../support/testEngine';
import type { PlaybookRunStatus } from '../../domain/response/playbookRun';
import type { VendorFakes } from '../support/vendors';
import type { RecordedRequest } from '../support/vendors/httpsFake';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { accountTakeoverAlert, PlaybookHarness, quietDeviceAlert } from './playbookHarness';

let running: VendorEngine;
let engine: TestEngine;
let smtp: RunningSmtpServer;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  running = await startVendorEngine();
  ({ engine, smtp, fakes } = running);
});
afterAll(async () => {
  await running?.stop();
});

/**
 * R8's order on the wire: the mail server took a notice naming `marker` (an action's digest, or the undo notice of the
 * alert) before the vendor fake received `request`; both times are Date.now() of this process, one clock.
 */
/** The customer's measure and undo notices, in German (the default) or English. */
const NOTICE_SUBJECT = /^(Angekündigte Maßnahme|Rücknahme von Maßnahmen|Announced measure|Measures for security alert .* are being reversed)/;
const UNDO_SUBJECT = /^(Rücknahme von Maßnahmen|Measures for security alert .* are being reversed)/;

function expectNoticeBefore(marker: string, request: RecordedRequest | undefined): void {
  expect(request).toBeDefined();
  const notice = smtp.received.find((m) => NOTICE_SUBJECT.test(m.mail.subject ?? '') && (m.mail.text ?? '').includes(marker));
  expect(notice).toBeDefined();
  expect(notice?.at).toBeLessThanOrEqual(request?.at ?? 0);
}

const digestOf = (run: PlaybookRunStatus, action: string) => run.actions.find((a) => a.action === action && a.state === 'done')?.digest ?? `no ${action} done`;

test('R8 R12 a critical account compromise on a package-2 tenant: Graph disables and revokes, OPNsense blocks, and undo restores both, each after the mail server took the customer\'s notice', async () => {
  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const upn = 'j.becker@mueller-logistik.example';
  const alertId = await harness.readyForResponse(accountTakeoverAlert(externalId, upn, '203.0.113.7'));

  expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  const account = await harness.approveAll(alertId, 'run-1');
  expect(account.state).toBe('completed_with_handoffs'); // confirming a compromise is not in this tenant's matrix
  expect(fakes.graph.user(upn)).toMatchObject({ accountEnabled: false, sessionsRevoked: 1 });
  expect(fakes.graph.confirmedCompromised).toEqual([]);
  expect(fakes.graph.alert(externalId)?.comments[0]).toContain(alertId);
  const patch = fakes.requests('graph').find((r) => r.method === 'PATCH' && r.path.includes('/users/'));
  expect(patch?.body).toEqual({ accountEnabled: false });
  expect(patch?.headers['authorization']).toMatch(/^Bearer \S+/);
  expectNoticeBefore(digestOf(account, 'm365.disableUser'), patch);
  expectNoticeBefore(digestOf(account, 'm365.revokeSessions'), fakes.requests('graph').find((r) => r.method === 'POST' && r.path.endsWith('/revokeSignInSessions')));

  expect((await harness.startPlaybook(alertId, 'block-attacker-ip')).status).toBe(201);
  const block = await harness.approveAll(alertId, 'run-2');
  expect(block.state).toBe('completed');
  expect(fakes.opnsense.alias('SOAR_BLOCKLIST')).toContain('203.0.113.7');
  const add = fakes.requests('opnsense').find((r) => r.method === 'POST' && r.path === '/api/firewall/alias_util/add/SOAR_BLOCKLIST');
  expect(add?.body).toEqual({ address: '203.0.113.7' });
  expect(add?.headers['authorization']).toMatch(/^Basic /);
  expectNoticeBefore(digestOf(block, 'firewall.blockIp'), add);

  expect((await harness.undo(alertId, 'run-2', 'The address belongs to a partner after all')).status).toBe(200);
  await harness.untilRun(alertId, 'run-2', (r) => r.state === 'undone', 'run-2 undone');
  expect(fakes.opnsense.alias('SOAR_BLOCKLIST')).not.toContain('203.0.113.7');
  expectNoticeBefore(alertId, fakes.requests('opnsense').find((r) => r.method === 'POST' && r.path === '/api/firewall/alias_util/delete/SOAR_BLOCKLIST'));
  expect((await harness.undo(alertId, 'run-1', 'The user confirmed the travel')).status).toBe(200);
  await harness.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'run-1 undone');
  expect(fakes.graph.user(upn)?.accountEnabled).toBe(true);
  const enable = fakes.requests('graph').find((r) => r.method === 'PATCH' && r.path.includes('/users/') && (r.body as { accountEnabled?: boolean }).accountEnabled === true);
  const undoNotices = smtp.received.filter((m) => UNDO_SUBJECT.test(m.mail.subject ?? '') && (m.mail.text ?? '').includes(alertId));
  expect(undoNotices.length).toBeGreaterThanOrEqual(2);
  expect(undoNotices.at(-1)?.at).toBeLessThanOrEqual(enable?.at ?? 0);
});

test('R8 R12 a compromised device on a package-3 tenant: Defender isolates the machine found by name, FortiGate blocks, undo releases, each after the mail server took the customer\'s notice', async () => {
  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const alertId = await harness.readyForResponse(quietDeviceAlert(externalId, ['198.51.100.99']));

  expect((await harness.startPlaybook(alertId, 'compromised-device')).status).toBe(201);
  const device = await harness.approveAll(alertId, 'run-1');
  expect(device.state).toBe('completed');
  const machine = fakes.defender.machine('ws-0042.rheinwerk.local');
  expect(machine?.isolated).toBe(true);
  const isolate = fakes.defender.actions().filter((a) => a.type === 'Isolate' && a.machineId === machine?.id);
  expect(isolate).toHaveLength(1);
  expect(isolate[0]).toMatchObject({ status: 'Succeeded', body: { IsolationType: 'Full' } });
  expectNoticeBefore(digestOf(device, 'defender.isolateDevice'), fakes.requests('defender').find((r) => r.method === 'POST' && r.path.endsWith('/isolate')));
  expect(device.actions.find((a) => a.action === 'defender.isolateDevice')?.matrix?.groups).toEqual(expect.arrayContaining(['RW-Workstations']));

  expect((await harness.startPlaybook(alertId, 'block-attacker-ip')).status).toBe(201);
  const fortiBlock = await harness.approveAll(alertId, 'run-2');
  expect(fakes.fortigate.group('SOAR-BLOCK')).toContain('soar_198.51.100.99');
  expectNoticeBefore(digestOf(fortiBlock, 'firewall.blockIp'), fakes.requests('fortigate').find((r) => r.method === 'POST' || r.method === 'PUT'));

  expect((await harness.undo(alertId, 'run-1', 'Re-imaged; back in service')).status).toBe(200);
  await harness.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'run-1 undone');
  expect(fakes.defender.machine('ws-0042.rheinwerk.local')?.isolated).toBe(false);
  const unisolate = fakes.requests('defender').find((r) => r.method === 'POST' && r.path.endsWith('/unisolate'));
  const undoNotice = smtp.received.find((m) => UNDO_SUBJECT.test(m.mail.subject ?? '') && (m.mail.text ?? '').includes(alertId));
  expect(undoNotice?.at).toBeLessThanOrEqual(unisolate?.at ?? 0);
});

describe('vendor faults during a run', () => {
  const accountAlert = (upn: string) =>
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: 'Impossible travel',
      entities: { users: [{ name: upn, upn }], hosts: [], ips: [], files: [], processes: [], urls: [] },
    });

  test('a 429 storm from Graph is waited out with Retry-After: the account is disabled, once', async () => {
    const upn = 's.krause@mueller-logistik.example';
    const alertId = await harness.readyForResponse(accountAlert(upn));
    fakes.graph.failNext(9, { status: 429, retryAfter: '0' }, '/users/');
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
    const run = await harness.approveAll(alertId, 'run-1');
    expect(run.actions.find((a) => a.action === 'm365.disableUser')).toMatchObject({ state: 'done' });
    expect(fakes.graph.user(upn)?.accountEnabled).toBe(false);
    const throttled = fakes.requests('graph').filter((r) => r.path.includes('/users/') && r.status === 429);
    expect(throttled).toHaveLength(9);
    const userId = fakes.graph.user(upn)?.id ?? 'none';
    const patches = fakes.requests('graph').filter((r) => r.method === 'PATCH' && (r.path.includes(upn) || r.path.includes(userId)) && r.status !== undefined && r.status < 300);
    expect(patches).toHaveLength(1);
  });

  test('R8 a 403 from Graph (an admin account) stops the run with the vendor\'s message, hands it to a human and undoes nothing it did not do', async () => {
    const upn = 'it-admin@mueller-logistik.example';
    const alertId = await harness.readyForResponse(accountAlert(upn));
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
    const run = await harness.approveAll(alertId, 'run-1');
    expect(run.state).toBe('failed');
    const disable = run.actions.find((a) => a.action === 'm365.disableUser');
    expect(disable).toMatchObject({ state: 'failed', undo: null });
    expect(disable?.reason).toMatch(/VendorRefused: .*403.*Authorization_RequestDenied/);
    expect(disable?.reason).not.toContain('mueller-graph-secret');
    expect(run.notifications.some((n) => n.purpose === 'response_failure')).toBe(true);
    expect(fakes.graph.user(upn)?.accountEnabled).toBe(true);
    expect(fakes.graph.user(upn)?.sessionsRevoked).toBe(0);
  });
});
