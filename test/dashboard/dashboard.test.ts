/**
 * The web dashboard (issue 7) in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against the
 * whole engine on the real dev server: a customer sees its own alerts only (R17), tiered by severity (R3), opens one
 * and downloads its report; an analyst works the cross-tenant queue, escalations (R19), approvals (R8), work orders
 * and fair-use flags (R15). Vendor activities are typed fakes: no measure reaches a vendor here.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { PAGE_SIZE, TIER_SIZE } from '../../api/dashboard/alertPages';
import { auth, PlaybookHarness, SECOND_ANALYST } from '../playbooks/playbookHarness';
import { benignAlert, sampleAlert } from '../support/alerts';
import { startDashboardWorld, type DashboardBrowser, type DashboardWorld } from '../support/dashboardBrowser';
import type { TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { postDocumentedDefenderAlert } from '../support/defenderExample';
import { englishOnlyTexts, untranslatedOn } from '../support/untranslated';

let world: DashboardWorld;
let engine: TestEngine;
let browser: DashboardBrowser;
let baseUrl: string;
const harness = new PlaybookHarness(() => engine);

/** The seeded alerts: titles say whose they are. */
const ids = { nwCritical: '', nwMedium: '', muCritical: '', muResponse: '', rwAlert: '' };
const TITLES = {
  nwCritical: 'NW-CRIT LSASS dump on WS-0231',
  nwMedium: 'NW-MED inventory <script>alert(1)</script>',
  muCritical: 'MU-CRIT LSASS dump nobody claimed',
  muResponse: 'MU-RESP atypical sign-in with inbox rule',
  rwAlert: 'RW-MED routine inventory',
};
const WORK_ORDER = `Please analyse the VPN logs of last week ${randomUUID().slice(0, 8)}`;
const LEAKED = 'j.becker@nordwind-handel.example';

const read = (alertId: string): Promise<AlertStatus> =>
  request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('analyst'))).then((r) => r.body as AlertStatus);

/** The embedded set-up's outbox file, with one German message, for the admin's outbox page. */
const outboxDir = mkdtempSync(join(tmpdir(), 'soar-dashboard-outbox-'));
const OUTBOX = join(outboxDir, 'outbox.jsonl');
writeFileSync(
  OUTBOX,
  `${JSON.stringify({ at: new Date().toISOString(), channel: 'sms', recipient: '+491715550123', language: 'de', subject: null, text: 'Ihr SOC meldet einen kritischen Sicherheitsvorfall.' })}\n`,
);

beforeAll(async () => {
  world = await startDashboardWorld({ ownNamespace: true, outboxFile: OUTBOX });
  ({ engine, browser } = world);
  baseUrl = browser.baseUrl;

  ids.nwCritical = await harness.submit(sampleAlert({ title: TITLES.nwCritical }));
  ids.nwMedium = await harness.submit(benignAlert({ title: TITLES.nwMedium }));
  ids.muCritical = await harness.submit(sampleAlert({ tenantId: 'mueller-logistik', title: TITLES.muCritical }));
  ids.rwAlert = await harness.submit(benignAlert({ tenantId: 'rheinwerk-maschinenbau', title: TITLES.rwAlert }));
  const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
  ids.muResponse = await harness.readyForResponse(
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: TITLES.muResponse,
      entities: { users: [{ name: upn, upn }], hosts: [], ips: [{ address: '203.0.113.7', role: 'source' }], files: [], processes: [], urls: [] },
    }),
  );
  expect((await harness.startPlaybook(ids.muResponse, 'compromised-account')).status).toBe(201);
  await harness.untilRun(ids.muResponse, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');

  const order = await request(engine.app).post('/v1/work-orders').set(auth(engine.key('customer', 'mueller-logistik'))).send({ description: WORK_ORDER });
  expect(order.status).toBe(201);
  await engine.ledger.recordLeakFindings('nordwind-handel', [{ address: LEAKED, breach: 'ExampleForum2025' }], new Date().toISOString());
  await waitFor(() => read(ids.nwCritical), (s) => s.state === 'published', 'the nordwind alert published');
  const medium = await waitFor(() => read(ids.nwMedium), (s) => s.state === 'published', 'the second nordwind alert published');
  expect(medium.severity).toBe('medium');
  // R15: nordwind-handel's baseline is 10; 31 incidents in March 2026 are above three times that.
  for (let n = 0; n < 31; n++) {
    await engine.readModel.upsert({ ...medium, alertId: `${medium.alertId}-fair-${n}`, receivedAt: `2026-03-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z` }, '2026-03-31T10:00:00.000Z');
  }
  await waitFor(() => read(ids.muCritical), (s) => s.state === 'awaiting_triage', 'the unclaimed mueller incident in the queue');
  await waitFor(() => read(ids.rwAlert), (s) => s.state === 'awaiting_triage', 'the rheinwerk alert in the queue');
}, 600_000);

afterAll(async () => {
  await world?.stop();
  rmSync(outboxDir, { recursive: true, force: true });
});

const newPage = () => browser.newPage();
const logIn = (key: string): Promise<Page> => browser.logIn(key);

const text = (page: Page, selector = 'main') => page.locator(selector).innerText();

describe('logging in', () => {
  test('a bad key shows an error on the login page, and no page opens without a login', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/dashboard/alerts`);
    expect(page.url()).toBe(`${baseUrl}/dashboard/login`);
    await page.fill('#key', 'dev_customer_not_a_real_key');
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('main button[type=submit]')]);
    expect(answer.status()).toBe(401);
    expect(await text(page, '.error')).toBe('That API key is not valid.');
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('soar_session');
  });

  test('an ingest key cannot log in to the dashboard: 403 on the login page, no session', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/dashboard/login`);
    await page.fill('#key', engine.key('ingest', 'nordwind-handel'));
    const [answer] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('main button[type=submit]')]);
    expect(answer.status()).toBe(403);
    expect(await text(page, '.error')).toBe('Ingest keys only send alerts and events; they cannot log in to the dashboard.');
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('soar_session');
  });

  test('the session cookie is HttpOnly and SameSite=Strict; logout ends the session, also for a copied cookie', async () => {
    const page = await logIn(engine.key('customer', 'nordwind-handel'));
    const cookie = (await page.context().cookies()).find((c) => c.name === 'soar_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
    await Promise.all([page.waitForURL(/\/dashboard\/login$/), page.click('header button')]);
    await page.goto(`${baseUrl}/dashboard/alerts`);
    expect(page.url()).toBe(`${baseUrl}/dashboard/login`);
    const replay = await newPage();
    if (cookie) await replay.context().addCookies([cookie]);
    await replay.goto(`${baseUrl}/dashboard/alerts`);
    expect(replay.url()).toBe(`${baseUrl}/dashboard/login`);
  });

  test('a POST without the session\'s CSRF token is refused and changes nothing', async () => {
    const page = await logIn(engine.key('analyst'));
    const refused = await page.context().request.post(`${baseUrl}/dashboard/alerts/${ids.rwAlert}/claim`, { form: { _csrf: 'forged' }, maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    expect((await read(ids.rwAlert)).triage.assignedAnalyst).toBeNull();
  });
});

describe('R17 the customer view', () => {
  test('R3 R17 a customer sees its own alerts tiered by severity, critical first, and nothing of other tenants', async () => {
    const page = await logIn(engine.key('customer', 'nordwind-handel'));
    expect(page.url()).toBe(`${baseUrl}/dashboard/alerts`);
    const refusals: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && refusals.push(message.text())));
    const answer = await page.goto(`${baseUrl}/dashboard/alerts`);
    // The API's CSP, not weakened: no script at all, the style sheet is a served file.
    expect(answer?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(answer?.headers()['cache-control']).toBe('no-store');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate('getComputedStyle(document.querySelector("header")).backgroundColor')).toBe('rgb(29, 43, 58)');
    expect(refusals).toEqual([]);
    const shown = await text(page);
    expect(shown).toContain(TITLES.nwCritical);
    expect(shown).toContain(TITLES.nwMedium); // escaped: shown as text, never run
    expect(shown.indexOf(TITLES.nwCritical)).toBeLessThan(shown.indexOf(TITLES.nwMedium));
    const tiers = await page.locator('section.tier h2').allInnerTexts();
    // The customer reads its tenant's language (German by default).
    expect(tiers).toEqual(['kritisch', 'hoch', 'mittel', 'niedrig']);
    for (const foreign of [TITLES.muCritical, TITLES.muResponse, TITLES.rwAlert]) expect(shown).not.toContain(foreign);
    expect(shown).not.toMatch(/mueller|rheinwerk/);
    // No administration and no SOC pages (R17).
    expect(await page.locator('header a').allInnerTexts()).toEqual(['Meldungen', 'Aufträge', 'Berichte']);
    expect((await page.goto(`${baseUrl}/dashboard/queue`))?.status()).toBe(403);
    expect((await page.goto(`${baseUrl}/dashboard/fair-use`))?.status()).toBe(403);
  });

  test('R17 a customer cannot open another tenant\'s alert page by editing the URL', async () => {
    const page = await logIn(engine.key('customer', 'nordwind-handel'));
    const own = await page.goto(`${baseUrl}/dashboard/alerts/${ids.nwCritical}`);
    expect(own?.status()).toBe(200);
    const foreign = await page.goto(`${baseUrl}/dashboard/alerts/${ids.muCritical}`);
    expect(foreign?.status()).toBe(404);
    const foreignPage = await page.content();
    expect(foreignPage).not.toContain(TITLES.muCritical);
    const missing = await page.goto(`${baseUrl}/dashboard/alerts/${ids.muCritical.replace(/[0-9a-f]{32}$/, '0'.repeat(32))}`);
    expect(missing?.status()).toBe(404);
    // The same page whether the alert exists for another tenant or not at all.
    expect(await page.content()).toBe(foreignPage);
    expect((await page.goto(`${baseUrl}/dashboard/reports?tenantId=mueller-logistik`))?.status()).toBe(404);
    expect((await page.goto(`${baseUrl}/dashboard/reports/alerts?tenantId=mueller-logistik&from=2026-11-01&to=2026-12-01&format=csv`))?.status()).toBe(404);
    expect(await page.content()).toBe(foreignPage);
    // Another tenant named in the alert list's filter is absent too (the one tenant-scope rule), not forbidden.
    expect((await page.goto(`${baseUrl}/dashboard/alerts?tenantId=mueller-logistik`))?.status()).toBe(404);
    expect(await page.content()).not.toContain(TITLES.muCritical);
  });

  test('R3 R4 R5 a customer opens its alert (state, next wake-up, recommendation, timeline), sees its leak findings and downloads its report as CSV', async () => {
    const page = await logIn(engine.key('customer', 'nordwind-handel'));
    await Promise.all([page.waitForURL(/\/dashboard\/alerts\/alert\./), page.click(`text=${TITLES.nwCritical}`)]);
    expect(page.url()).toBe(`${baseUrl}/dashboard/alerts/${ids.nwCritical}`);
    expect(await page.locator('dd.state').getAttribute('data-state')).toBe('published');
    expect(await text(page, 'dd.state')).toBe('veröffentlicht');
    expect(await text(page, 'dd.next-wake')).toBe('keine');
    expect(await text(page, 'p.recommendation')).toBe('Noch keine Empfehlung.');
    const timeline = await text(page, 'table.timeline');
    expect(timeline).toContain('eingestuft');
    expect(timeline).toMatch(/Im Dashboard und in \S+ veröffentlicht/);
    expect(await page.locator('form[action$="/claim"]').count()).toBe(0);

    await page.goto(`${baseUrl}/dashboard/reports`);
    expect(await text(page, 'main h1')).toMatch(/^Berichte: /);
    expect(await text(page, 'table.leak-findings')).toContain(LEAKED);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[value=csv]')]);
    expect(download.suggestedFilename()).toMatch(/^alerts-nordwind-handel-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('severity,state,source,count');
    expect(csv).toMatch(/^critical,[a-z_]+,edr,1\r$/m);
    expect(csv).toMatch(/^medium,[a-z_]+,edr,1\r$/m);
  });
});

describe('the analyst view', () => {
  test('R11 R15 R19 an analyst sees the queue across tenants, escalations in progress, approvals waiting, work orders and fair-use flags', async () => {
    const page = await logIn(engine.key('analyst'));
    expect(page.url()).toBe(`${baseUrl}/dashboard/queue`);
    const queue = await text(page, 'table.queue');
    expect(queue).toContain(TITLES.muCritical);
    expect(queue).toContain(TITLES.rwAlert);
    expect(queue).toContain('mueller-logistik');
    expect(queue).toContain('rheinwerk-maschinenbau');
    expect(queue).not.toContain(TITLES.nwCritical); // package 1: no analyst work (R3)

    await page.click('header >> text=Escalations');
    expect(await text(page, 'table.escalations')).toContain(TITLES.muCritical);
    await page.click('header >> text=Approvals');
    const approvals = await text(page, 'table.approvals');
    expect(approvals).toContain(TITLES.muResponse);
    expect(approvals).toContain('m365.disableUser');
    await page.click('header >> text=Work orders');
    expect(await text(page, 'table.work-orders')).toContain(WORK_ORDER);
    await page.goto(`${baseUrl}/dashboard/fair-use?month=2026-03`);
    expect(await text(page, 'tr.flagged')).toContain('nordwind-handel');
  });

  test('a failed or stuck workflow is on the analyst\'s problems page with its reason; a customer cannot open it', async () => {
    const title = `RW-STOPPED inventory ${randomUUID().slice(0, 8)}`;
    const alertId = await harness.submit(benignAlert({ tenantId: 'rheinwerk-maschinenbau', title }));
    await waitFor(() => read(alertId), (s) => s.state === 'awaiting_triage', 'the alert in the queue');
    await engine.client.workflow.getHandle(alertId).terminate('Stopped by the SOC for the dashboard test');

    const page = await logIn(engine.key('analyst'));
    await page.click('header >> text=Problems');
    const row = await waitFor(
      async () => {
        await page.reload();
        const rows = page.locator('table.problems tr', { hasText: alertId });
        return (await rows.count()) > 0 ? rows.first().innerText() : '';
      },
      (found) => found !== '',
      'the terminated alert on the problems page',
    );
    expect(row).toContain('terminated');
    expect(row).toContain('Stopped by the SOC for the dashboard test');
    expect(row).toContain('rheinwerk-maschinenbau');

    const customer = await logIn(engine.key('customer', 'rheinwerk-maschinenbau'));
    expect((await customer.goto(`${baseUrl}/dashboard/problems`))?.status()).toBe(403);
    expect(await text(customer, 'header')).not.toContain('Problems');
  });

  test('R8 an analyst approves a waiting action bound to its digest, and claims an unclaimed incident, in the browser', async () => {
    // Four-eyes (R8): the approver is not the analyst who started the run.
    const approver = await logIn(engine.key('analyst', undefined, SECOND_ANALYST));
    await approver.goto(`${baseUrl}/dashboard/approvals`);
    const row = approver.locator('table.approvals tr', { hasText: 'm365.disableUser' });
    await row.locator('input[name=reason]').fill('Confirmed compromise, approved from the dashboard');
    await Promise.all([approver.waitForURL(/\/dashboard\/alerts\/alert\./), row.locator('button[value=approve]').click()]);
    expect(approver.url()).toBe(`${baseUrl}/dashboard/alerts/${ids.muResponse}`);
    const run = await harness.untilRun(ids.muResponse, 'run-1', (r) => r.actions.some((a) => a.action === 'm365.disableUser' && a.approval?.decision === 'approve'), 'the approval');
    expect(run.actions.find((a) => a.action === 'm365.disableUser')?.approval).toMatchObject({ by: `analyst:${SECOND_ANALYST}`, reason: 'Confirmed compromise, approved from the dashboard' });

    const page = await logIn(engine.key('analyst'));
    await page.goto(`${baseUrl}/dashboard/alerts/${ids.muCritical}`);
    await page.click('text=Claim this alert');
    await page.waitForLoadState();
    expect(await page.locator('dd.state').getAttribute('data-state')).toBe('in_triage');
    expect(await text(page, 'dd.state')).toBe('in triage');
    expect(await text(page, 'dd.analyst')).toBe('dev-analyst');
    await page.goto(`${baseUrl}/dashboard/escalations`);
    expect(await text(page)).not.toContain(TITLES.muCritical);
  });
});

describe('paging', () => {
  test('no dashboard list page asks Temporal visibility for more than its page size', async () => {
    const service = engine.client.workflowService;
    const spy = jest.spyOn(service, 'listWorkflowExecutions');
    try {
      const customer = await logIn(engine.key('customer', 'nordwind-handel'));
      const tiered = spy.mock.calls.map(([call]) => call.pageSize);
      expect(tiered).toEqual([TIER_SIZE, TIER_SIZE, TIER_SIZE, TIER_SIZE]);
      spy.mockClear();
      await customer.goto(`${baseUrl}/dashboard/alerts?severity=critical&state=published`);
      const analyst = await logIn(engine.key('analyst'));
      await analyst.goto(`${baseUrl}/dashboard/alerts?tenantId=mueller-logistik&severity=critical`);
      await analyst.goto(`${baseUrl}/dashboard/escalations`);
      await analyst.goto(`${baseUrl}/dashboard/approvals`);
      const sizes = spy.mock.calls.map(([call]) => call.pageSize ?? Infinity);
      // The analyst's login lands on the queue, which reads the queued alerts only (docs/operations.md).
      expect(sizes.filter((size) => size <= PAGE_SIZE).length).toBeGreaterThanOrEqual(4);
      expect(sizes.filter((size) => size > PAGE_SIZE)).toEqual([500]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('German pages', () => {
  /** Opens each path and collects what reads English there; a page that fails to answer as expected is reported too. */
  async function englishOn(page: Page, paths: string[], expectedStatus: (path: string) => number = () => 200): Promise<string[]> {
    const english = englishOnlyTexts();
    const found: string[] = [];
    for (const path of paths) {
      const answer = await page.goto(`${baseUrl}${path}`);
      if (answer?.status() !== expectedStatus(path)) found.push(`${path}: HTTP ${answer?.status()}`);
      if ((await page.locator('html').getAttribute('lang')) !== 'de') found.push(`${path}: not declared German`);
      for (const problem of await untranslatedOn(page, english)) found.push(`${path}: ${problem}`);
    }
    return found;
  }

  test('every dashboard page an analyst, an admin or a customer opens reads German in German mode: no English catalogue text, no English words in its own wording, Berlin times', async () => {
    // Something in every section: evidence (Microsoft's documented example), a case in triage with an indicator and
    // a note, an action waiting for an approval, a closed alert for the service figures.
    const evidenceId = await postDocumentedDefenderAlert(engine.app, engine.key('ingest', 'mueller-logistik'), `de-${randomUUID().slice(0, 8)}`);
    const caseId = await harness.submit(sampleAlert({ tenantId: 'mueller-logistik', title: `Verdächtiger LSASS-Zugriff ${randomUUID().slice(0, 8)}` }));
    await harness.untilAwaitingTriage(caseId);
    const as = (path: string, body: object) => request(engine.app).post(`/v1/alerts/${caseId}/${path}`).set(auth(engine.key('analyst'))).send(body);
    expect((await as('claim', {})).status).toBe(200);
    expect((await as('assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'procdump gegen lsass.exe' })).status).toBe(200);
    expect((await as('iocs', { iocs: [{ type: 'ip', value: '203.0.113.7', finding: 'malicious', note: 'C2-Adresse' }] })).status).toBe(200);
    expect((await as('notes', { text: 'Herrn Krause angerufen' })).status).toBe(200);
    const upn = `s.krause-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
    const approvalId = await harness.readyForResponse(
      sampleAlert({
        tenantId: 'mueller-logistik',
        source: 'm365',
        title: `Ungewöhnliche Anmeldung ${upn}`,
        entities: { users: [{ name: upn, upn }], hosts: [], ips: [{ address: '203.0.113.8', role: 'source' }], files: [], processes: [], urls: [] },
      }),
    );
    expect((await harness.startPlaybook(approvalId, 'compromised-account')).status).toBe(201);
    await harness.untilRun(approvalId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const closedId = await harness.submit(benignAlert({ tenantId: 'mueller-logistik', title: `Inventarisierung ${randomUUID().slice(0, 8)}` }));
    await harness.untilAwaitingTriage(closedId);
    const closing = (path: string, body: object) => request(engine.app).post(`/v1/alerts/${closedId}/${path}`).set(auth(engine.key('analyst'))).send(body);
    await closing('claim', {});
    await closing('assessment', { severity: 'low', verdict: 'benign', rationale: 'Inventarisierung' });
    await closing('recommendation', { recommendation: 'Keine Maßnahme nötig.' });
    expect((await closing('close', { summary: 'Harmlos.' })).status).toBe(200);
    await waitFor(() => read(evidenceId), (s) => s.state !== 'received' && s.state !== 'analysing', 'the documented example classified');

    const analyst = await logIn(engine.key('analyst'));
    await Promise.all([analyst.waitForURL(/\/dashboard\/queue$/), analyst.click('header button.language')]);
    const analystPages = [
      '/dashboard/queue',
      '/dashboard/alerts',
      '/dashboard/alerts?severity=critical',
      ...[evidenceId, caseId, approvalId, closedId, ids.muCritical, ids.muResponse].map((id) => `/dashboard/alerts/${id}`),
      '/dashboard/approvals',
      '/dashboard/escalations',
      '/dashboard/problems',
      '/dashboard/work-orders',
      '/dashboard/fair-use?month=2026-03',
      '/dashboard/service-figures',
      '/dashboard/reports',
      '/dashboard/no-such-page',
      '/dashboard/alerts?severity=bogus',
    ];
    const statusOf = (path: string) => (path.includes('no-such-page') ? 404 : path.includes('bogus') ? 400 : 200);
    expect(await englishOn(analyst, analystPages, statusOf)).toEqual([]);

    // A refused filter names the field, in German.
    await analyst.goto(`${baseUrl}/dashboard/alerts?severity=bogus`);
    expect(await text(analyst, 'ul.error')).toMatch(/^severity: Ungültige Option: erwartet eine von /);

    // Times in Berlin time with the zone, dates and numbers in German format; states and timeline in words.
    await analyst.goto(`${baseUrl}/dashboard/alerts/${caseId}`);
    expect(await text(analyst, 'table.timeline')).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} MES?Z/);
    expect(await text(analyst, 'table.timeline')).toContain('Endgültige Schwere kritisch, Urteil bestätigter Sicherheitsvorfall: procdump gegen lsass.exe');
    expect(await text(analyst, 'dd.state')).toBe('in Bearbeitung');
    await analyst.goto(`${baseUrl}/dashboard/alerts/${approvalId}`);
    expect(await text(analyst, 'td.action-words')).toContain(`Entra-ID-Konto sperren (accountEnabled=false): Benutzer ${upn}`);

    const admin = await logIn(engine.key('admin'));
    await Promise.all([admin.waitForURL(/\/dashboard\/queue$/), admin.click('header button.language')]);
    expect(await englishOn(admin, ['/dashboard/outbox'])).toEqual([]);
    expect(await text(admin, 'table.outbox')).toContain('Ihr SOC meldet');

    // The customer reads its tenant's language without choosing.
    const customer = await logIn(engine.key('customer', 'mueller-logistik'));
    expect(await englishOn(customer, ['/dashboard/alerts', `/dashboard/alerts/${ids.muResponse}`, `/dashboard/alerts/${caseId}`, '/dashboard/reports', '/dashboard/work-orders'])).toEqual([]);
    // A refusal reads German too: the service's English reason stays out of the text (only in the paragraph's title).
    const refused = await customer.goto(`${baseUrl}/dashboard/queue`);
    expect(refused?.status()).toBe(403);
    expect(await text(customer, 'p.error')).toBe('Diese Aktion ist für Ihre Rolle nicht freigegeben.');
    expect(await customer.locator('p.error').getAttribute('title')).toBe("Role 'customer' has no analyst queue");

    // Before the login: the browser's language.
    const login = await browser.newPage('de-DE');
    expect(await englishOn(login, ['/dashboard/login'])).toEqual([]);
    expect(await text(login, 'label')).toBe('Ihr API-Schlüssel');
  });

  test('the check finds English: a page in English mode, and English wording that never went through the catalogues', async () => {
    const analyst = await logIn(engine.key('analyst'));
    await analyst.goto(`${baseUrl}/dashboard/queue`);
    expect(await untranslatedOn(analyst)).toEqual(expect.arrayContaining(['dashboard.queue.title: Work queue', 'dashboard.nav.approvals: Approvals']));
    await analyst.setContent('<html lang="de"><body><h2>Offene Meldungen</h2><p class="note">Nothing to show for this week.</p><td>data is not judged by the word list</td></body></html>');
    expect(await untranslatedOn(analyst)).toEqual(['english word: Nothing to show for this week.']);
  });
});
