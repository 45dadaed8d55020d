/**
 * Versioned release matrices and playbooks, and shadow playbooks, on a real Temporal server with the HTTPS vendor
 * fakes: an admin puts a revision in force, runs record the revision they decided with, a rollback puts the file's
 * content back as a new revision (the predecessor kept: who, when, digest), and a shadow revision runs beside a live
 * run as a dry-run whose decisions a report compares with the live run's.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestEngine } from '../support/testEngine';
import type { VendorFakes } from '../support/vendors';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { MILDER_ACCOUNT_PLAYBOOK } from './milderAccountPlaybook';
import { accountTakeoverAlert, auth, PlaybookHarness } from './playbookHarness';

let running: VendorEngine;
let engine: TestEngine;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  running = await startVendorEngine({ ownNamespace: true });
  ({ engine, fakes } = running);
});
afterAll(async () => {
  await running?.stop();
});

const admin = () => auth(engine.key('admin'));
const MATRIX_WITHOUT_BLOCK = {
  rules: [
    { action: 'm365.disableUser', targets: { users: ['*@mueller-logistik.example'] } },
    { action: 'm365.revokeSessions', targets: { users: ['*@mueller-logistik.example'] }, requiresApproval: false },
  ],
};

async function dryRunBlock(ip: string) {
  const alertId = await harness.readyForResponse(accountTakeoverAlert(`graph-alert-${randomUUID()}`, 'j.becker@mueller-logistik.example', ip));
  const started = await request(engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(harness.analyst())).send({ playbookId: 'block-attacker-ip', mode: 'dry-run' });
  expect(started.status).toBe(201);
  return harness.approveAll(alertId, 'run-1');
}

test('R8 a release-matrix revision is in force for new runs, which record it, and an admin rolls back to the file, keeping every predecessor with who, when and digest', async () => {
  const before = await request(engine.app).get('/v1/tenants/mueller-logistik/release-matrix/versions').set(auth(harness.analyst()));
  expect(before.status).toBe(200);
  expect(before.body.items).toEqual([expect.objectContaining({ revision: 0, changedBy: 'file', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
  const fileDigest = before.body.items[0].digest;

  // Only admins change; a bad matrix is refused naming the field, and stores nothing.
  const body = { releaseMatrix: MATRIX_WITHOUT_BLOCK, reason: 'The customer withdrew the firewall release' };
  expect((await request(engine.app).put('/v1/tenants/mueller-logistik/release-matrix').set(auth(harness.analyst())).send(body)).status).toBe(403);
  const bad = await request(engine.app).put('/v1/tenants/mueller-logistik/release-matrix').set(admin()).send({ ...body, releaseMatrix: { rules: [], default: 'allow' } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('default');
  const changed = await request(engine.app).put('/v1/tenants/mueller-logistik/release-matrix').set(admin()).send(body);
  expect(changed.status).toBe(201);
  expect(changed.body).toMatchObject({ revision: 1, role: 'active', previousDigest: fileDigest, changedBy: 'admin:dev-admin', note: body.reason });

  const refused = await dryRunBlock('203.0.113.21');
  expect(refused.releaseMatrix).toEqual({ revision: 1, digest: changed.body.digest });
  expect(refused.actions.find((a) => a.action === 'firewall.blockIp')).toMatchObject({ state: 'handed_to_human', matrix: { allowed: false } });

  const rolledBack = await request(engine.app).post('/v1/tenants/mueller-logistik/release-matrix/rollback').set(admin()).send({ revision: 0, reason: 'Withdrawal was for another site' });
  expect(rolledBack.status).toBe(201);
  expect(rolledBack.body).toMatchObject({ revision: 2, digest: fileDigest, previousDigest: changed.body.digest, note: 'rollback to revision 0: Withdrawal was for another site' });
  const missing = await request(engine.app).post('/v1/tenants/mueller-logistik/release-matrix/rollback').set(admin()).send({ revision: 7, reason: 'typo' });
  expect(missing.status).toBe(404);

  const allowed = await dryRunBlock('203.0.113.22');
  expect(allowed.releaseMatrix).toEqual({ revision: 2, digest: fileDigest });
  expect(allowed.actions.find((a) => a.action === 'firewall.blockIp')).toMatchObject({ state: 'would_run', matrix: { allowed: true } });
  const history = await request(engine.app).get('/v1/tenants/mueller-logistik/release-matrix/versions').set(admin());
  expect(history.body.items.map((v: { revision: number; digest: string }) => [v.revision, v.digest])).toEqual([
    [2, fileDigest],
    [1, changed.body.digest],
    [0, fileDigest],
  ]);
});

test('a playbook revision runs with its revision recorded; rolling back to the file runs the file again', async () => {
  const file = (await request(engine.app).get('/v1/playbooks/block-attacker-ip/versions').set(admin())).body.items[0];
  const text = `id: block-attacker-ip
version: 2
title: Block attacker IP
description: Block the alert's remote addresses, always with an analyst's approval.
steps:
  - id: block-ip
    action: firewall.blockIp
    title: Block the attacker's IP on the tenant's firewalls
    target: { tenant: firewalls }
    subject: { alert: ips }
    requiresApproval: true
`;
  const broken = await request(engine.app).put('/v1/playbooks/block-attacker-ip').set(admin()).send({ content: text.replace('firewall.blockIp', 'firewall.blockEverything'), reason: 'typo' });
  expect(broken.status).toBe(400);
  expect(JSON.stringify(broken.body)).toMatch(/block-attacker-ip\.yaml:\d+/);
  const changed = await request(engine.app).put('/v1/playbooks/block-attacker-ip').set(admin()).send({ content: text, reason: 'Always ask' });
  expect(changed.status).toBe(201);
  expect(changed.body).toMatchObject({ revision: 1, previousDigest: file.digest });
  const catalogue = await request(engine.app).get('/v1/playbooks').set(auth(harness.analyst()));
  expect(catalogue.body.items.find((p: { id: string }) => p.id === 'block-attacker-ip')).toMatchObject({ version: 2, digest: changed.body.digest });

  const run = await dryRunBlock('203.0.113.23');
  expect(run.playbook).toMatchObject({ id: 'block-attacker-ip', version: 2, revision: 1, digest: changed.body.digest });
  const alert = await harness.read(run.alertId);
  expect(alert.response.runs[0]).toMatchObject({ version: 2, revision: 1 });

  expect((await request(engine.app).post('/v1/playbooks/block-attacker-ip/rollback').set(admin()).send({ revision: 0, reason: 'Back to the reviewed file' })).status).toBe(201);
  const again = await dryRunBlock('203.0.113.24');
  expect(again.playbook).toMatchObject({ version: 1, digest: file.digest, revision: 2 });
});

test('a shadow revision runs beside a live run as a dry-run without asking anyone, changes nothing at the vendors, and the shadow report shows where the two decided differently', async () => {
  const shadow = await request(engine.app).put('/v1/playbooks/compromised-account').set(admin()).send({ content: MILDER_ACCOUNT_PLAYBOOK, reason: 'Trial of a milder playbook', shadow: true });
  expect(shadow.status).toBe(201);
  expect(shadow.body).toMatchObject({ revision: 1, role: 'shadow' });
  // The active revision is still the file.
  expect((await request(engine.app).get('/v1/playbooks').set(auth(harness.analyst()))).body.items.find((p: { id: string }) => p.id === 'compromised-account')).toMatchObject({ version: 1 });

  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const alertId = await harness.readyForResponse(accountTakeoverAlert(externalId, 'j.becker@mueller-logistik.example', '203.0.113.25'));
  const changesBefore = fakes.requests('graph').filter((r) => r.method !== 'GET').length;
  const started = await harness.startPlaybook(alertId, 'compromised-account');
  expect(started.status).toBe(201);
  expect(started.body).toMatchObject({ runId: 'run-1', version: 1 });
  const shadowRun = await harness.untilRun(alertId, 'run-2', (r) => r.state !== 'running', 'the shadow run to end');
  expect(shadowRun).toMatchObject({ mode: 'dry-run', shadowOf: 'run-1', playbook: { version: 2, revision: 1 } });
  expect(shadowRun.actions.map((a) => [a.action, a.state])).toEqual([
    ['m365.revokeSessions', 'would_run'],
    ['m365.commentAlert', 'would_run'],
  ]);
  expect(shadowRun.notifications).toEqual([]);
  // The shadow ended while the live run still waits for its first approval: no change request reached Graph yet.
  expect(fakes.requests('graph').filter((r) => r.method !== 'GET').length).toBe(changesBefore);
  const live = await harness.approveAll(alertId, 'run-1');
  expect(live.state).toBe('completed_with_handoffs');
  expect(fakes.graph.user('j.becker@mueller-logistik.example')?.accountEnabled).toBe(false);
  expect((await harness.read(alertId)).response.runs.map((r) => [r.runId, r.mode ?? 'live', r.shadowOf ?? null])).toEqual([
    ['run-1', 'live', null],
    ['run-2', 'dry-run', 'run-1'],
  ]);

  const report = await request(engine.app).get('/v1/playbooks/compromised-account/shadow-report?tenantId=mueller-logistik&since=1d').set(admin());
  expect(report.status).toBe(200);
  const mine = report.body.comparisons.filter((c: { alertId: string }) => c.alertId === alertId);
  expect(mine).toEqual([
    {
      alertId,
      live: { runId: 'run-1', version: 1, revision: null, digest: live.playbook.digest },
      shadow: { runId: 'run-2', version: 2, revision: 1, digest: shadow.body.digest },
      agreed: 2,
      differences: [
        { measure: 'm365.confirmCompromised on user j.becker@mueller-logistik.example', live: 'refused by the matrix; stopped (handed to human)', shadow: 'not taken' },
        { measure: 'm365.disableUser on user j.becker@mueller-logistik.example', live: 'allowed with approval; goes ahead', shadow: 'not taken' },
      ],
    },
  ]);
  expect((await request(engine.app).get('/v1/playbooks/compromised-account/shadow-report?tenantId=mueller-logistik&since=1d').set(auth(engine.key('customer', 'mueller-logistik')))).status).toBe(403);
});
