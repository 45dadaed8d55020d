/**
 * What-if over recorded alerts on a real Temporal server: alerts are recorded by the engine (one classified critical
 * by a detection rule, one by default; a dry-run playbook run with its matrix checks), then a proposed change is
 * re-decided against their recorded inputs. The report lists only the known differences, the same file every time,
 * and no vendor is called.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { benignAlert, sampleAlert } from '../support/alerts';
import { REPO, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { runScript, type ScriptOutcome } from '../support/runScript';
import { dashboardAgent } from '../support/dashboardLogin';
import type { VendorFakes } from '../support/vendors';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';
import { accountTakeoverAlert, auth, PlaybookHarness } from '../playbooks/playbookHarness';

let running: VendorEngine;
let engine: TestEngine;
let fakes: VendorFakes;
const harness = new PlaybookHarness(() => engine);
const LSASS_RULE = '4a0f3c52-1d5e-4c1e-9f36-0b7a0e3f9d11';

beforeAll(async () => {
  running = await startVendorEngine({ ownNamespace: true });
  ({ engine, fakes } = running);
});
afterAll(async () => {
  await running?.stop();
});

function whatIfCli(...args: string[]): Promise<ScriptOutcome> {
  return runScript('scripts/what-if.ts', args, {
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: testTemporal().address,
    TEMPORAL_NAMESPACE: engine.client.options.namespace,
    SOAR_PAYLOAD_KEYS_FILE: testTemporal().payloadKeysFile,
    SOAR_TENANTS_DIR: running.tenantsDir,
  });
}

const published = (alertId: string) => waitFor(() => harness.read(alertId), (s) => s.classification !== null && s.publication !== null, `${alertId} published`);

test('what-if: the rule set with the LSASS rule lowered to high reclassifies exactly the alert it decided, names old and new severity and rule and who would be told, as the same file twice', async () => {
  const decided = await harness.submit(sampleAlert());
  const unaffected = await harness.submit(benignAlert());
  expect((await published(decided)).classification).toMatchObject({ severity: 'critical', decidedBy: { kind: 'rule', ruleId: LSASS_RULE } });
  expect((await published(unaffected)).classification?.decidedBy.kind).not.toBe('rule');

  const rules = mkdtempSync(join(testTemporal().workDir, 'what-if-rules-'));
  cpSync(join(REPO, 'test/fixtures/rules'), rules, { recursive: true });
  const file = join(rules, 'test-rules.yml');
  const lowered = readFileSync(file, 'utf8').replace(/^level: critical$/m, 'level: high');
  expect(lowered).toContain('level: high');
  writeFileSync(file, lowered);
  const requestsBefore = fakes.requests().length;

  const out = join(rules, '..', `${rules.split('/').pop()}-report.json`);
  const first = await whatIfCli(rules, '--tenant', 'nordwind-handel', '--since', '1d', '--out', out);
  expect(first.stderr).toMatch(/\d+ alert\(s\) of nordwind-handel re-decided with .*: 1 would be decided differently/);
  expect(first.code).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report.change).toMatchObject({ kind: 'rules', digest: expect.stringMatching(/^rules:[0-9a-f]{12}$/) });
  expect(report.alertsConsidered).toBeGreaterThanOrEqual(2);
  expect(report.differences).toEqual([
    {
      alertId: decided,
      receivedAt: expect.any(String),
      classification: {
        old: { severity: 'critical', decidedBy: `rule ${LSASS_RULE} (Test rule - LSASS memory dump by procdump)` },
        new: { severity: 'high', decidedBy: `rule ${LSASS_RULE} (Test rule - LSASS memory dump by procdump)` },
      },
      notifications: expect.arrayContaining([expect.objectContaining({ purpose: 'findings' })]),
    },
  ]);
  const findings = report.differences[0].notifications.find((n: { purpose: string }) => n.purpose === 'findings');
  expect(findings.old).not.toEqual(findings.new);

  // Deterministic: the same question gives the same bytes; printed to stdout without --out.
  const second = await whatIfCli(rules, '--tenant', 'nordwind-handel', '--since', '1d');
  expect(second.code).toBe(0);
  expect(second.stdout).toBe(readFileSync(out, 'utf8'));
  expect(fakes.requests().length).toBe(requestsBefore);

  // Bad input changes nothing and says what is wrong.
  const bad = await whatIfCli(rules, '--tenant', 'nordwind-handel', '--since', 'a month');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--since must be a period like 30d or 12h, not 'a month'");
}, 180_000);

test('what-if: a tenant file without the firewall.blockIp release refuses the block a recorded dry-run was allowed, a playbook version with one step more adds that measure, through the API, and only analysts and admins may ask', async () => {
  const alertId = await harness.readyForResponse(accountTakeoverAlert('graph-alert-what-if', 'j.becker@mueller-logistik.example', '203.0.113.9'));
  expect((await request(engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(harness.analyst())).send({ playbookId: 'block-attacker-ip', mode: 'dry-run' })).status).toBe(201);
  const run = await harness.approveAll(alertId, 'run-1');
  expect(run.actions.find((a) => a.action === 'firewall.blockIp')?.matrix).toMatchObject({ allowed: true });

  const text = readFileSync(join(running.tenantsDir, 'mueller-logistik.yaml'), 'utf8');
  const withoutBlock = text.replace(/ {4}- action: firewall\.blockIp\n {6}targets:\n {8}firewalls: \[opnsense-fw1\]\n/, '');
  expect(withoutBlock).not.toContain('firewall.blockIp');
  const requestsBefore = fakes.requests().length;
  const ask = (key: string, body: object) => request(engine.app).post('/v1/what-if').set(auth(key)).send(body);
  const question = { tenantId: 'mueller-logistik', since: '1d', change: { kind: 'tenant', content: withoutBlock } };

  const answer = await ask(engine.key('admin'), question);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="?what-if-mueller-logistik-tenant-[0-9a-f]{12}\.json"?$/);
  expect(answer.body.change).toMatchObject({ kind: 'tenant', name: 'mueller-logistik.yaml' });
  const mine = answer.body.differences.filter((d: { alertId: string }) => d.alertId === alertId);
  expect(mine).toEqual([
    {
      alertId,
      receivedAt: expect.any(String),
      measures: [{ measure: 'run-1 firewall.blockIp on firewall opnsense-fw1 / IP 203.0.113.9', old: expect.stringMatching(/^allowed by rule 3, /), new: 'refused: R8: the release matrix allows no firewall.blockIp' }],
    },
  ]);
  // Deterministic, and nothing reached a vendor.
  expect((await ask(engine.key('analyst'), question)).text).toBe(answer.text);
  expect(fakes.requests().length).toBe(requestsBefore);

  // A playbook change: the new version also ends the user's sessions; the recorded run had no such measure.
  const playbook = `id: block-attacker-ip
version: 2
title: Block attacker IP and end the sessions
description: Block the remote addresses and end the named users' sessions.
steps:
  - id: block-ip
    action: firewall.blockIp
    title: Block the attacker's IP on the tenant's firewalls
    target: { tenant: firewalls }
    subject: { alert: ips }
  - id: revoke-sessions
    action: m365.revokeSessions
    title: End the sessions
    target: { alert: users }
`;
  const changedPlaybook = await ask(engine.key('analyst'), { tenantId: 'mueller-logistik', since: '1d', change: { kind: 'playbook', name: 'block-attacker-ip.yaml', content: playbook } });
  expect(changedPlaybook.status).toBe(200);
  expect(changedPlaybook.body.differences.filter((d: { alertId: string }) => d.alertId === alertId)).toEqual([
    {
      alertId,
      receivedAt: expect.any(String),
      measures: [{ measure: 'run-1 m365.revokeSessions on user j.becker@mueller-logistik.example', old: 'not in block-attacker-ip v1', new: 'allowed by rule 2, no approval' }],
    },
  ]);

  // The dashboard page asks the same question and shows the same differences.
  const { agent, csrf } = await dashboardAgent(engine.app, engine.key('analyst'));
  const formPage = await agent.get('/dashboard/what-if');
  expect(formPage.status).toBe(200);
  const shown = await agent.post('/dashboard/what-if').type('form').send({ _csrf: csrf(formPage.text), tenantId: 'mueller-logistik', since: '1d', kind: 'tenant', content: withoutBlock });
  expect(shown.status).toBe(200);
  expect(shown.text).toContain(alertId);
  expect(shown.text).toContain('refused: R8: the release matrix allows no firewall.blockIp');
  const customerPage = await (await dashboardAgent(engine.app, engine.key('customer', 'mueller-logistik'))).agent.get('/dashboard/what-if');
  expect(customerPage.status).toBe(403);

  // Refusals: a customer may not ask; a broken tenant file is a 400 naming the problem; another tenant's file too.
  expect((await ask(engine.key('customer', 'mueller-logistik'), question)).status).toBe(403);
  const broken = await ask(engine.key('admin'), { ...question, change: { kind: 'tenant', content: `${withoutBlock}\nunknownKey: 1\n` } });
  expect(broken.status).toBe(400);
  expect(JSON.stringify(broken.body)).toContain('unknownKey');
  const other = await ask(engine.key('admin'), { ...question, tenantId: 'nordwind-handel' });
  expect(other.status).toBe(400);
  expect(JSON.stringify(other.body)).toContain('mueller-logistik');
  const since = await ask(engine.key('admin'), { ...question, since: '30 days' });
  expect(since.status).toBe(400);
  expect(JSON.stringify(since.body)).toContain('since');
}, 180_000);
