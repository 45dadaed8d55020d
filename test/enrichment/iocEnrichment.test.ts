/**
 * IoC enrichment in the running engine against HTTPS fakes of VirusTotal v3, AbuseIPDB v2 and MISP: each alert's
 * indicators are checked beside triage, answers land in the alert's record and timeline, one indicator costs one call
 * per provider within the cache's time to live, and nothing but indicators leaves the engine.
 */
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { NormalisedAlertInput } from '../../domain/alert';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { ENRICHMENT_KEYS, startEnrichmentFakes, type EnrichmentFakes } from '../support/vendors/enrichmentFakes';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
let fakes: EnrichmentFakes;

const ATTACKER = '185.220.101.4';
const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** A file first seen in the second test (the first one's hash is cached as unknown by then). */
const DROPPER = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const USER = 'j.becker';
const UPN = 'j.becker@mueller-logistik.example';

beforeAll(async () => {
  fakes = await startEnrichmentFakes();
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    env: {
      SOAR_VIRUSTOTAL_API_KEY_REF: 'env:TEST_VT_KEY',
      SOAR_VIRUSTOTAL_BASE_URL: `${fakes.virusTotal.url}/api/v3`,
      SOAR_ABUSEIPDB_API_KEY_REF: 'env:TEST_ABUSEIPDB_KEY',
      SOAR_ABUSEIPDB_BASE_URL: fakes.abuseIpDb.url,
      SOAR_MISP_URL: fakes.misp.url,
      SOAR_MISP_API_KEY_REF: 'env:TEST_MISP_KEY',
    },
    secretEnv: { TEST_VT_KEY: ENRICHMENT_KEYS.virusTotal, TEST_ABUSEIPDB_KEY: ENRICHMENT_KEYS.abuseIpDb, TEST_MISP_KEY: ENRICHMENT_KEYS.misp },
    policy: (policy: TenantPolicy): TenantPolicy => ({ ...policy, terms: { ...policy.terms, windows: [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }] } }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await fakes?.close();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const read = async (alertId: string) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('analyst')))).body as AlertStatus;
async function submit(alert: NormalisedAlertInput): Promise<string> {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', alert.tenantId))).send(alert);
  expect(response.status).toBe(202);
  return response.body.alertId as string;
}

const phishing = (hash = HASH) =>
  sampleAlert({
    tenantId: 'mueller-logistik',
    entities: {
      users: [{ name: USER, upn: UPN }],
      hosts: [{ hostname: 'WS-0231', ips: ['10.1.2.3'] }],
      ips: [
        { address: ATTACKER, role: 'source' },
        { address: '10.1.2.3', role: 'destination' },
      ],
      files: [{ name: 'invoice.pdf.exe', path: `C:\\Users\\${USER}\\Downloads\\invoice.pdf.exe`, sha256: hash.toUpperCase() }],
      processes: [{ commandLine: `invoice.pdf.exe /user ${UPN}` }],
      urls: [{ url: `https://evil-login.example.net/owa/auth?user=${encodeURIComponent(UPN)}#${USER}` }, { url: `https://intranet.mueller-logistik.example/people/${USER}` }],
    },
  });

test('R20 only indicators leave the engine: every request to VirusTotal, AbuseIPDB and MISP is inspected', async () => {
  fakes.vtMalicious.set(ATTACKER, 14);
  fakes.abuseScores.set(ATTACKER, 100);
  fakes.mispAttributes.set(ATTACKER, { toIds: true, event: 'Tor exit nodes used for password spraying' });
  const before = fakes.requests.length;
  const alertId = await submit(phishing());
  const status = await waitFor(() => read(alertId), (s) => (s.enrichment?.length ?? 0) >= 9, 'nine enrichment answers', 30_000);

  const sent = fakes.requests.slice(before);
  const everything = JSON.stringify(sent.map((r) => ({ path: r.path, query: r.query, body: r.body, headers: r.headers })));
  for (const personal of [USER, 'mueller-logistik', 'WS-0231', 'ws-0231', '10.1.2.3', 'invoice.pdf', 'intranet', 'Downloads']) expect(everything).not.toContain(personal);
  const indicators = new Set(status.enrichment?.map((r) => `${r.indicator.kind} ${r.indicator.value}`));
  expect([...indicators].sort()).toEqual([`domain evil-login.example.net`, `file ${HASH}`, `ip ${ATTACKER}`, 'url https://evil-login.example.net/owa/auth']);
  expect(sent.map((r) => `${r.vendor} ${r.method} ${r.path}`).sort()).toEqual(
    [
      `abuseipdb GET /api/v2/check`,
      `misp POST /attributes/restSearch`,
      `misp POST /attributes/restSearch`,
      `misp POST /attributes/restSearch`,
      `misp POST /attributes/restSearch`,
      `virustotal GET /api/v3/domains/evil-login.example.net`,
      `virustotal GET /api/v3/files/${HASH}`,
      `virustotal GET /api/v3/ip_addresses/${ATTACKER}`,
      `virustotal GET /api/v3/urls/${Buffer.from('https://evil-login.example.net/owa/auth').toString('base64url')}`,
    ].sort(),
  );
});

test('the answers are in the alert’s record and its decision trail, graded per provider', async () => {
  fakes.vtMalicious.set(DROPPER, 2);
  const alertId = await submit(phishing(DROPPER));
  const status = await waitFor(() => read(alertId), (s) => (s.enrichment?.length ?? 0) >= 9, 'nine enrichment answers', 30_000);
  const about = (provider: string, value: string) => status.enrichment?.find((r) => r.provider === provider && r.indicator.value === value);

  expect(about('virustotal', ATTACKER)).toMatchObject({ finding: 'malicious', summary: '14 of 94 engines malicious, 0 suspicious' });
  expect(about('abuseipdb', ATTACKER)).toMatchObject({ finding: 'malicious', summary: 'abuse confidence 100%, 42 report(s) in 90 days' });
  expect(about('misp', ATTACKER)).toMatchObject({ finding: 'malicious', summary: '1 MISP attribute(s), 1 for IDS: Tor exit nodes used for password spraying' });
  expect(about('virustotal', DROPPER)).toMatchObject({ finding: 'suspicious', summary: '2 of 94 engines malicious, 0 suspicious', fromCache: false });
  expect(about('virustotal', 'evil-login.example.net')).toMatchObject({ finding: 'unknown', summary: 'not known to VirusTotal' });
  expect(about('misp', DROPPER)).toMatchObject({ finding: 'unknown', summary: 'no MISP attribute matches' });
  // Each provider's calls are scheduled on its own task queue, where Temporal keeps its calls per minute (VirusTotal: 4).
  const history = await engine.client.workflow.getHandle(alertId).fetchHistory();
  const queues = new Map<string, Set<string>>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const type = scheduled?.activityType?.name;
    if (type?.startsWith('enrich') && type !== 'enrichmentProviders') queues.set(type, (queues.get(type) ?? new Set()).add(scheduled?.taskQueue?.name ?? ''));
  }
  expect(Object.fromEntries([...queues].map(([type, names]) => [type, [...names]]))).toEqual({
    enrichVirusTotal: [`${engine.taskQueue}.vendor.virustotal`],
    enrichAbuseIpDb: [`${engine.taskQueue}.vendor.abuseipdb`],
    enrichMisp: [`${engine.taskQueue}.vendor.misp`],
  });
  const trail = status.timeline.filter((e) => e.actor.startsWith('enrichment:'));
  expect(trail).toHaveLength(9);
  expect(trail.map((e) => e.detail)).toContainEqual(expect.stringMatching(new RegExp(`^AbuseIPDB: ip ${ATTACKER.replace(/\./g, '\\.')} malicious: abuse confidence 100%`)));
  // This alert's history, its enrichment answered, is the golden of the enrichment patch (docs/audit.md).
  await writeGoldenIfAsked('ioc-enrichment', alertId, await fetchWorkflowTree(engine.client, alertId), engine.payloadCodec);
});

test('R17 the answers are the SOC’s: the customer’s key reads the alert without them, the analyst’s with them', async () => {
  const alertId = await submit(phishing());
  await waitFor(() => read(alertId), (s) => (s.enrichment?.length ?? 0) >= 9, 'nine enrichment answers', 30_000);
  const asCustomer = await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('customer', 'mueller-logistik')));
  expect(asCustomer.status).toBe(200);
  const seen = asCustomer.body as AlertStatus;
  expect(seen.alertId).toBe(alertId);
  expect(seen).not.toHaveProperty('enrichment');
  expect(seen.timeline.filter((e) => e.actor.startsWith('enrichment:'))).toEqual([]);
  expect(JSON.stringify(seen)).not.toMatch(/VirusTotal|AbuseIPDB|MISP/);
  const asAnalyst = await read(alertId);
  expect(asAnalyst.enrichment?.length).toBeGreaterThanOrEqual(9);
  expect(asAnalyst.timeline.filter((e) => e.actor.startsWith('enrichment:')).length).toBeGreaterThanOrEqual(9);
});

test('one indicator costs one call per provider while its cached answer lives', async () => {
  const vtCalls = () => fakes.requests.filter((r) => r.vendor === 'virustotal' && r.path.endsWith(ATTACKER)).length;
  await waitFor(async () => vtCalls(), (n) => n >= 1, 'a first VirusTotal call for the address');
  const calls = vtCalls();
  const alertId = await submit(phishing());
  const status = await waitFor(() => read(alertId), (s) => (s.enrichment?.length ?? 0) >= 9, 'nine enrichment answers', 30_000);
  expect(vtCalls()).toBe(calls);
  expect(status.enrichment?.find((r) => r.provider === 'virustotal' && r.indicator.value === ATTACKER)).toMatchObject({ finding: 'malicious', fromCache: true });
});

test('the dashboard shows the answers to the SOC and pre-fills the IoC check; it is recorded only when the analyst confirms', async () => {
  const alertId = await submit(phishing());
  await waitFor(() => read(alertId), (s) => (s.enrichment?.length ?? 0) >= 9 && s.state === 'awaiting_triage', 'the answers and the queue', 30_000);
  const claimed = await request(engine.app).post(`/v1/alerts/${alertId}/claim`).set(auth(engine.key('analyst'))).send({});
  expect(claimed.status).toBe(200);

  const agent = request.agent(engine.app);
  const loginPage = await agent.get('/dashboard/login');
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)?.[1] ?? '';
  expect((await agent.post('/dashboard/login').type('form').send({ key: engine.key('analyst'), _csrf: loginCsrf })).status).toBe(303);
  const page = (await agent.get(`/dashboard/alerts/${alertId}`)).text;
  const section = /<section class="enrichment">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
  expect(section).toContain(ATTACKER);
  expect(section).toContain('AbuseIPDB: <strong>malicious</strong> abuse confidence 100%');
  const form = new RegExp(`<form class="inline" method="post" action="/dashboard/alerts/${alertId.replace(/\./g, '\\.')}/iocs">([\\s\\S]*?)</form>`, 'g');
  const attackerForm = [...page.matchAll(form)].map((m) => m[1] ?? '').find((f) => f.includes(`value="${ATTACKER}"`)) ?? '';
  const fields = Object.fromEntries([...attackerForm.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]?.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')]));
  expect(fields).toMatchObject({ type: 'ip', value: ATTACKER, finding: 'malicious' });
  // Nothing is recorded as checked before the analyst confirms.
  expect((await read(alertId)).triage.iocs).toEqual([]);

  const confirmed = await agent.post(`/dashboard/alerts/${alertId}/iocs`).type('form').send(fields);
  expect(confirmed.status).toBe(303);
  const iocs = (await read(alertId)).triage.iocs;
  expect(iocs).toEqual([expect.objectContaining({ type: 'ip', value: ATTACKER, finding: 'malicious', note: expect.stringContaining('VirusTotal: malicious (14 of 94 engines malicious') })]);
});
