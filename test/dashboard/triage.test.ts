/**
 * Triage from the browser (Debian's chromium, driven by playwright-core) against the whole engine on the real dev
 * server: an analyst walks a critical incident from the queue to its close, and a playbook from its start through the
 * approval (the action and target in words) to its undo. Forms refuse bad input naming the field. Vendor activities are
 * typed fakes: no measure reaches a vendor here.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { PlaybookHarness, SECOND_ANALYST } from '../playbooks/playbookHarness';
import { sampleAlert } from '../support/alerts';
import { startDashboardWorld, type DashboardBrowser, type DashboardWorld } from '../support/dashboardBrowser';
import type { TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let world: DashboardWorld;
let engine: TestEngine;
let browser: DashboardBrowser;
let baseUrl: string;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  world = await startDashboardWorld();
  ({ engine, browser } = world);
  baseUrl = browser.baseUrl;
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const logIn = (key: string) => browser.logIn(key);

/** Submits a triage form and waits for the alert page it redirects to (or the error page it answers with). */
async function submit(page: Page, action: string, fields: Record<string, string> = {}): Promise<void> {
  const form = page.locator(`form[action$="/${action}"]`);
  for (const [name, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').first().click()]);
  await page.waitForLoadState('load');
}

const text = (page: Page, selector = 'main') => page.locator(selector).innerText();

test('R6 R8 an analyst walks a critical incident from the queue to its close in the browser; bad input is refused naming the field', async () => {
  const title = `Critical LSASS dump ${randomUUID().slice(0, 8)}`;
  const alertId = await harness.submit(sampleAlert({ tenantId: 'mueller-logistik', title }));
  await harness.untilAwaitingTriage(alertId);
  const page = await logIn(engine.key('analyst'));
  await page.goto(`${baseUrl}/dashboard/queue`);
  await Promise.all([page.waitForURL(/\/dashboard\/alerts\/alert\./), page.click(`text=${title}`)]);
  await page.click('text=Claim this alert');
  await page.waitForLoadState('load');
  expect(await text(page, 'dd.analyst')).toBe('dev-analyst');

  await submit(page, 'assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'procdump against lsass.exe by j.becker' });
  expect(await text(page, 'table.timeline')).toContain('Final severity critical, verdict confirmed security incident');

  // An indicator without a value: the error page names the field, and nothing is recorded.
  await submit(page, 'iocs', { type: 'ip', value: '', finding: 'malicious' });
  expect(await text(page, 'ul.error')).toMatch(/^value: /);
  expect((await harness.read(alertId)).triage.iocs).toEqual([]);
  await page.goBack();
  await page.reload();
  await submit(page, 'iocs', { type: 'ip', value: '203.0.113.7', finding: 'malicious', note: 'C2 address' });
  expect(await text(page, 'main')).toContain('203.0.113.7');

  await submit(page, 'notes', { text: 'Called S. Krause; waiting for the EDR timeline export' });
  expect(await text(page, 'table.notes')).toContain('Called S. Krause');

  await submit(page, 'recommendation', { recommendation: 'Isolate WS-0231 and reset the password of j.becker.' });
  expect(await page.locator('dd.state').getAttribute('data-state')).toBe('ready_for_response');
  expect(await text(page, 'p.recommendation')).toBe('Isolate WS-0231 and reset the password of j.becker.');

  await submit(page, 'close', { summary: 'Contained by the customer after our advice.' });
  expect(await page.locator('dd.state').getAttribute('data-state')).toBe('closed');
  const closed = await harness.read(alertId);
  expect(closed.triage).toMatchObject({ verdict: 'true_positive', summary: 'Contained by the customer after our advice.', iocs: [expect.objectContaining({ value: '203.0.113.7' })] });
  expect(closed.notifications.some((n) => n.purpose === 'containment_advice' && n.delivered)).toBe(true);
});

test('R8 an analyst starts a playbook, another approves the action shown in words (four eyes), and the first undoes the run, in the browser', async () => {
  const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
  const alertId = await harness.readyForResponse(
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: `Atypical sign-in ${upn}`,
      entities: { users: [{ name: upn, upn }], hosts: [], ips: [{ address: '203.0.113.7', role: 'source' }], files: [], processes: [], urls: [] },
    }),
  );
  const page = await logIn(engine.key('analyst'));
  await page.goto(`${baseUrl}/dashboard/alerts/${alertId}`);
  await submit(page, 'playbooks', { playbookId: 'compromised-account' });
  await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');

  // Four eyes (R8): the analyst who started the run may not approve its account disable; a second analyst does.
  const approver = await logIn(engine.key('analyst', undefined, SECOND_ANALYST));
  await approver.goto(`${baseUrl}/dashboard/alerts/${alertId}`);
  const row = approver.locator('table.approvals tr', { hasText: 'm365.disableUser' });
  expect(await row.locator('td.action-words').innerText()).toContain(`Disable the Entra ID account (accountEnabled=false): user ${upn}`);
  await row.locator('input[name=reason]').fill('Confirmed compromise');
  await Promise.all([approver.waitForLoadState('load'), row.locator('button[value=approve]').click()]);
  await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.action === 'm365.disableUser' && a.state === 'done'), 'the approved action done');

  await page.reload();
  await submit(page, 'runs/run-1/undo', { reason: 'The sign-in was the user on a new phone' });
  const undone = await harness.untilRun(alertId, 'run-1', (r) => r.state === 'undone' || r.state === 'closed', 'the undo');
  expect(undone.actions.find((a) => a.action === 'm365.disableUser')?.undo).toMatchObject({ state: 'undone' });
  await waitFor(() => harness.read(alertId), (s) => s.response.runs.some((r) => r.runId === 'run-1' && r.state === 'undone'), 'the alert to know the run undone');
  await page.reload();
  expect(await text(page)).not.toContain('Undo run-1');
});

test('an analyst reads the dashboard in English or German by choice; the page declares its language', async () => {
  const page = await logIn(engine.key('analyst'));
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('header a').first().innerText()).toBe('Queue');
  await Promise.all([page.waitForURL(/\/dashboard\/queue$/), page.click('header button.language')]);
  expect(await page.locator('html').getAttribute('lang')).toBe('de');
  expect(await page.locator('header a').allInnerTexts()).toEqual(expect.arrayContaining(['Warteschlange', 'Meldungen', 'Freigaben', 'Servicekennzahlen']));
  await page.goto(`${baseUrl}/dashboard/alerts`);
  expect(await page.locator('section.tier h2').allInnerTexts()).toEqual(['kritisch', 'hoch', 'mittel', 'niedrig']);
  const alertId = await harness.submit(sampleAlert({ tenantId: 'mueller-logistik', title: `Sprachprobe ${randomUUID().slice(0, 8)}` }));
  await harness.untilAwaitingTriage(alertId);
  await page.goto(`${baseUrl}/dashboard/alerts/${alertId}`);
  expect(await text(page, 'section.triage-forms h2')).toBe('Bearbeitung');
  expect(await page.locator('form[action$="/notes"] button').innerText()).toBe('Notiz hinzufügen');
  expect(await text(page, 'section.evidence h2')).toBe('Belege');
  await Promise.all([page.waitForURL(/\/dashboard\/queue$/), page.click('header button.language')]);
  expect(await page.locator('header a').first().innerText()).toBe('Queue');
});
