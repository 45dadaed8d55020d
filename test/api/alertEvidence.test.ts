/**
 * Evidence wherever an alert is shown: Microsoft's documented alerts_v2 example (Graph "Get alert") posted to
 * POST /v1/alerts/defender shows its device DNS name, file hash, process, registry key and technique in
 * GET /v1/alerts/{id} and on the dashboard's alert page; the evidence is read from the workflow's (encrypted) input.
 */
import request from 'supertest';
import type { AlertDetail } from '../../api/alerts/alertEvidence';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { documentedDefenderAlert, MUELLER_AZURE_TENANT, postDocumentedDefenderAlert } from '../support/defenderExample';
import { waitFor } from '../support/waitFor';
import { sampleAlert } from '../support/alerts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

const postDocumentedExample = (suffix: string) => postDocumentedDefenderAlert(engine.app, engine.key('ingest', 'mueller-logistik'), suffix);

const read = (alertId: string, key: string) => request(engine.app).get(`/v1/alerts/${encodeURIComponent(alertId)}`).set('Authorization', `Bearer ${key}`);

/** A dashboard session for the key (login form with its CSRF cookie, then the session cookie). */
async function dashboardAs(key: string) {
  const agent = request.agent(engine.app);
  const form = await agent.get('/dashboard/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf) throw new Error('no CSRF token on the login form');
  const login = await agent.post('/dashboard/login').type('form').send({ _csrf: csrf, key });
  expect(login.status).toBe(303);
  return agent;
}

test("Microsoft's documented alerts_v2 example shows its device, file hash, process, registry key and technique in GET /v1/alerts/{id}", async () => {
  const alertId = await postDocumentedExample(`rest-${Date.now()}`);
  const response = await waitFor(
    () => read(alertId, engine.key('analyst')),
    (r) => r.status === 200 && r.body.state !== 'received',
    'the alert to be readable',
  );
  const { evidence } = response.body as AlertDetail;
  expect(evidence.description).toMatch(/^A hidden file has been launched/);
  expect(evidence.entities.hosts).toEqual([expect.objectContaining({ hostname: 'tempDns', deviceId: '73e7e2de709dff64ef64b1d0c30e67fab63279db', ips: ['1.1.1.1'] })]);
  expect(evidence.entities.files).toContainEqual(
    expect.objectContaining({ name: 'MsSense.exe', sha256: '8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec', path: 'C:\\Program Files\\temp\\MsSense.exe' }),
  );
  expect(evidence.entities.processes).toEqual([
    expect.objectContaining({ pid: 4780, commandLine: '"MsSense.exe"', parentImagePath: 'C:\\Windows\\System32\\services.exe', user: 'NT AUTHORITY\\SYSTEM' }),
  ]);
  expect(evidence.techniques).toEqual([{ id: 'T1564.001', name: 'Hide Artifacts: Hidden Files and Directories', url: 'https://attack.mitre.org/techniques/T1564/001/' }]);
  // The registry key is evidence the entity mapping has no place for: kept all the same.
  expect(evidence.vendor?.registry).toEqual([
    { hive: 'HKEY_LOCAL_MACHINE', key: 'SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER', valueName: null, value: null, valueType: null },
  ]);
  expect(evidence.vendor?.recommendedActions).toMatch(/^Collect artifacts and determine scope/);
  expect(evidence.vendor?.links).toEqual({
    alert: 'https://security.microsoft.com/alerts/da637578995287051192_756343937?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
    incident: 'https://security.microsoft.com/incidents/28282?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
  });
  expect(evidence.vendor?.category).toBe('DefenseEvasion');
});

test("the dashboard's alert page shows the documented example's device DNS name, file hash, process, registry key and technique", async () => {
  const alertId = await postDocumentedExample(`page-${Date.now()}`);
  await waitFor(() => read(alertId, engine.key('analyst')), (r) => r.status === 200 && r.body.state !== 'received', 'the alert to be readable');
  // The analyst reads English (the default choice), the customer its tenant's German.
  for (const [key, heading] of [[engine.key('analyst'), '<h2>Evidence</h2>'], [engine.key('customer', 'mueller-logistik'), '<h2>Belege</h2>']] as const) {
    const agent = await dashboardAs(key);
    const page = await agent.get(`/dashboard/alerts/${encodeURIComponent(alertId)}`);
    expect(page.status).toBe(200);
    const text = page.text;
    expect(text).toContain(heading);
    expect(text).toContain('<code>tempDns</code>');
    expect(text).toContain('SHA-256 8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec');
    expect(text).toMatch(/<td>4780<\/td><td><code>&quot;MsSense.exe&quot;<\/code><\/td>/);
    expect(text).toContain('SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER');
    expect(text).toContain('<a href="https://attack.mitre.org/techniques/T1564/001/" rel="noreferrer">T1564.001</a>');
    expect(text).toContain('Hide Artifacts: Hidden Files and Directories');
  }
});

test('a link the vendor sends that is not https is not shown as a link', async () => {
  const alertId = await (async () => {
    const alert = { ...documentedDefenderAlert(), id: `da637578995287051192_756343937-js-${Date.now()}`, tenantId: MUELLER_AZURE_TENANT, alertWebUrl: 'javascript:alert(1)' };
    const response = await request(engine.app)
      .post('/v1/alerts/defender')
      .set('Authorization', `Bearer ${engine.key('ingest', 'mueller-logistik')}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(alert));
    return String(response.body.alertId);
  })();
  const response = await waitFor(() => read(alertId, engine.key('analyst')), (r) => r.status === 200, 'the alert to be readable');
  expect((response.body as AlertDetail).evidence.vendor?.links.alert).toBeNull();
});

test('a matched Sigma rule is shown with its title, level, description and references from the running rule set', async () => {
  const submitted = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).send(sampleAlert());
  expect(submitted.status).toBe(202);
  const response = await waitFor(() => read(submitted.body.alertId, engine.key('analyst')), (r) => r.status === 200 && r.body.classification !== null, 'the classified alert');
  const rule = (response.body as AlertDetail).evidence.matchedRules.find((r) => r.ruleId === '4fcaf46f-ec07-44ee-834a-24eeed2a3478');
  expect(rule).toMatchObject({ title: 'Credential dumping - LSASS memory dump or Mimikatz', level: 'critical', description: expect.stringMatching(/lsass/i) });
  expect(rule?.references?.length).toBeGreaterThan(0);
});
