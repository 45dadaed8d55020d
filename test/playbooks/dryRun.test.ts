/**
 * Dry-run playbooks on a real Temporal server, with the real response activities against the HTTPS vendor fakes:
 * every engine step runs (look-ups at the vendor, release matrix, approvals bound to the digest, a test notice to the
 * SOC), and the run stops before each vendor change, recording what it would have called. The fakes record no change.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningSmtpServer } from '../notification/smtpTestServer';
import type { TestEngine } from '../support/testEngine';
import type { VendorFakes } from '../support/vendors';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';
import { accountTakeoverAlert, auth, PlaybookHarness } from './playbookHarness';

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

const CHANGING = (method: string) => method !== 'GET';
const CUSTOMER_MAILBOXES = /@mueller-logistik\.example$/;

test('R8 a dry-run of compromised-account and block-attacker-ip looks up, checks the matrix, asks for approvals and tells only the SOC, but the vendor fakes record no change request', async () => {
  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const upn = 'j.becker@mueller-logistik.example';
  const alertId = await harness.readyForResponse(accountTakeoverAlert(externalId, upn, '203.0.113.8'));
  const mailsBefore = smtp.received.length;
  const requestsBefore = { graph: fakes.requests('graph').length, opnsense: fakes.requests('opnsense').length };

  const bad = await request(engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(harness.analyst())).send({ playbookId: 'compromised-account', mode: 'rehearsal' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('mode');

  const started = await request(engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(harness.analyst())).send({ playbookId: 'compromised-account', mode: 'dry-run' });
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({ runId: 'run-1', mode: 'dry-run', state: 'running' });
  // The approvals are asked for and bound to the digest as in a live run (four eyes: a second analyst decides).
  const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval in the dry-run');
  expect(waiting.mode).toBe('dry-run');
  expect(waiting.actions.find((a) => a.action === 'm365.disableUser')).toMatchObject({ matrix: { allowed: true }, approval: { required: true, fourEyes: true } });
  const account = await harness.approveAll(alertId, 'run-1');
  expect(account.state).toBe('completed_with_handoffs'); // confirming a compromise is not in this tenant's matrix, in a dry-run too

  const disable = account.actions.find((a) => a.action === 'm365.disableUser');
  expect(disable).toMatchObject({ state: 'would_run', approval: { decision: 'approve', by: 'analyst:a.schmidt' } });
  expect(disable?.wouldCall).toMatchObject({ activity: expect.any(String), request: { tenantId: 'mueller-logistik', alertId, action: 'm365.disableUser', target: { kind: 'user', upn } } });
  expect(disable?.wouldCall?.request.target).toHaveProperty('objectId'); // the vendor's id from the look-up, as a live call would pass it
  expect(account.actions.find((a) => a.action === 'm365.revokeSessions')?.state).toBe('would_run');
  expect(account.actions.find((a) => a.action === 'm365.confirmCompromised')?.state).toBe('handed_to_human');
  expect(account.actions.find((a) => a.action === 'm365.commentAlert')?.state).toBe('would_run');
  expect(account.timeline.filter((e) => e.kind === 'dry_run_call').map((e) => e.detail)).toEqual([
    expect.stringContaining('m365.disableUser'),
    expect.stringContaining('m365.revokeSessions'),
    expect.stringContaining('m365.commentAlert'),
  ]);

  // A dry-run does not hold the alert: the next dry-run starts while nothing was carried out.
  expect((await request(engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(harness.analyst())).send({ playbookId: 'block-attacker-ip', mode: 'dry-run' })).status).toBe(201);
  const block = await harness.approveAll(alertId, 'run-2');
  expect(block.state).toBe('completed');
  expect(block.actions.find((a) => a.action === 'firewall.blockIp')).toMatchObject({ state: 'would_run', wouldCall: { request: { subject: { kind: 'ip', address: '203.0.113.8' } } } });

  // The vendors: the look-ups went out, no change request did, and nothing changed.
  const graph = fakes.requests('graph').slice(requestsBefore.graph);
  expect(graph.length).toBeGreaterThan(0);
  expect(graph.filter((r) => CHANGING(r.method)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(fakes.requests('opnsense').slice(requestsBefore.opnsense).filter((r) => CHANGING(r.method)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(fakes.graph.user(upn)).toMatchObject({ accountEnabled: true, sessionsRevoked: 0 });
  expect(fakes.graph.alert(externalId)?.comments).toEqual([]);
  expect(fakes.opnsense.alias('SOAR_BLOCKLIST')).not.toContain('203.0.113.8');

  // Notices: test notices to the SOC only, naming whom the customer notice would have reached; the customer got nothing.
  const mails = smtp.received.slice(mailsBefore);
  const tests = mails.filter((m) => (m.mail.subject ?? '').startsWith('[TEST / DRY-RUN]'));
  expect(tests.length).toBe(3);
  for (const mail of tests) {
    expect(mail.rcptTo).toEqual(['soc-lead@soc-provider.example']);
    expect(mail.mail.text).toContain('would have gone to: ');
  }
  expect(mails.filter((m) => m.rcptTo.some((to) => CUSTOMER_MAILBOXES.test(to)))).toEqual([]);
  expect(account.notifications.every((n) => n.purpose === 'dry_run_notice')).toBe(true);

  // Marked as dry-runs everywhere: the alert's record and trail, the run's history; hidden from the customer.
  const alert = await harness.read(alertId);
  expect(alert.response.runs.map((r) => [r.runId, r.mode])).toEqual([
    ['run-1', 'dry-run'],
    ['run-2', 'dry-run'],
  ]);
  expect(alert.timeline.filter((e) => e.kind === 'playbook_started').every((e) => e.detail.includes('DRY-RUN'))).toBe(true);
  const customerKey = engine.key('customer', 'mueller-logistik');
  const seenByCustomer = await harness.read(alertId, customerKey);
  expect(seenByCustomer.response.runs).toEqual([]);
  expect(seenByCustomer.timeline.filter((e) => e.kind === 'playbook_started' || e.kind === 'playbook_finished')).toEqual([]);
  expect((await request(engine.app).get(`/v1/alerts/${alertId}/playbooks/run-1`).set(auth(customerKey))).status).toBe(404);
  // The dry-run ends with its forward steps (nothing to undo): its result, with what it would have called, is in history.
  const handle = engine.client.workflow.getHandle(`${alertId}.run-1`);
  await waitFor(() => handle.describe(), (d) => d.status.name === 'COMPLETED', 'the dry-run to complete');
  expect((await handle.describe()).memo).toEqual({ mode: 'dry-run' });
  const trail = await request(engine.app).get(`/v1/audit/alerts/${alertId}/trail`).set(auth(engine.key('auditor')));
  expect(trail.status).toBe(200);
  const details = (trail.body.entries as { kind: string; detail: string }[]).map((e) => `${e.kind}: ${e.detail}`);
  expect(details).toEqual(expect.arrayContaining([expect.stringMatching(/^action: DRY-RUN: would call \S+ for m365\.disableUser/), expect.stringMatching(/^received: Playbook compromised-account .* as a DRY-RUN/)]));
  // An undo of a dry-run has nothing to undo.
  expect((await harness.undo(alertId, 'run-1', 'nothing happened')).status).toBe(409);
});
